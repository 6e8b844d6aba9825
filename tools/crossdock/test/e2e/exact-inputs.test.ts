import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOciLayout } from '@crossdock/oci-layout';
import { readImageFile } from '@crossdock/oci-layout';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import type { WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import {
  countOutcomes,
  runHarness,
  watchedTasks,
  type MutationResult,
} from '../../../scripts/mutation/harness';
import { harnessFindings, harnessTable } from '../../../scripts/mutation/report';
import {
  HARNESS_PROJECTS,
  HARNESS_SLUGS,
  harnessWorkspace,
} from '../../../scripts/mutation/repositories';
import { GO_LAYOUT_FILES } from '../../../scripts/testing/go-layouts';
import { runTasks } from './workspace-edits';

// The exact-inputs proof on a workspace holding the sample apps, the Go layout fixtures and
// two open-source services from the Go module proxy (see scripts/mutation/repositories.ts):
// the two reproductions through `nx run hello:image`, and the mutation harness over
// a selection of files from each repository (`npm run harness` runs it over every file).

const gate = toolGate('exact inputs end to end', ['go', 'git'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

/** The files the CI run mutates: every layout fixture, the samples' Go files, and a cross-section of the services. */
const SELECTED = [
  ...Object.keys(GO_LAYOUT_FILES).filter((f) => !f.endsWith('project.json')),
  'go.mod',
  'apps/relay/main.go',
  'libs/go/httpx/serve.go',
  'libs/go/httpx/httpx_test.go',
  'libs/go/README.md',
  'services/go-httpbin/httpbin/httpbin.go',
  'services/go-httpbin/httpbin/static/index.html.tmpl',
  'services/go-httpbin/httpbin/static/image.png',
  'services/go-httpbin/httpbin/static_assets.go',
  'services/go-httpbin/httpbin/handlers_test.go',
  'services/go-httpbin/internal/testing/assert/assert.go',
  'services/go-httpbin/cmd/go-httpbin/main.go',
  'services/go-httpbin/README.md',
  'services/miniflux/main.go',
  'services/miniflux/internal/version/version.go',
  'services/miniflux/internal/template/templates/common/feed_list.html',
  'services/miniflux/internal/ui/static/js/app.js',
  'services/miniflux/internal/locale/translations/de_DE.json',
  'services/miniflux/internal/reader/readability/readability.go',
  'services/miniflux/internal/reader/readability/readability_test.go',
  'services/miniflux/go.sum',
  'services/miniflux/README.md',
];

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe.skipIf(!gate.ok && !gate.ci)('exact inputs: what go build reads, and nothing else', () => {
  let ws: WorkspaceCopy;

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    ws = await harnessWorkspace();
  }, 900_000);
  afterAll(() => ws?.remove());

  /** Runs hello's image, and returns what `hello --banner` prints from dist/bin and whether the image holds that binary. */
  async function helloImage(): Promise<{ printed: string; inImage: boolean; compileRan: boolean }> {
    const run = await runTasks(ws, ['run', 'hello:image']);
    const binary = join(ws.root, 'dist/bin/hello/linux/amd64/hello');
    const printed = (await execa(binary, ['--banner'])).stdout;
    const layout = await readOciLayout(join(ws.root, 'dist/images/hello'));
    const index = await layout.resolveIndex();
    const amd64 =
      index.images[index.manifests.findIndex((m) => m.platform?.architecture === 'amd64')]!;
    const shipped = await readImageFile(amd64, '/usr/local/bin/hello');
    return {
      printed,
      inImage: shipped !== undefined && sha256(shipped) === sha256(readFileSync(binary)),
      compileRan: run.misses.includes('hello:compile--linux-amd64'),
    };
  }

  async function commit(message: string): Promise<void> {
    await ws.git(['commit', '-qam', message]);
  }

  it('reproduction 1: an edit of a //go:embed file rebuilds the binary and ships the new bytes in the image', async () => {
    expect((await helloImage()).printed).toBe('banner v1\ngreet v1');
    writeFileSync(join(ws.root, 'apps/hello/banner.txt'), 'banner v2\n');
    await commit('banner v2');
    const after = await helloImage();
    expect(after.compileRan).toBe(true);
    expect(after.printed).toBe('banner v2\ngreet v1');
    expect(after.inImage).toBe(true);
  }, 600_000);

  it('reproduction 2: an edit in a package that is no Nx project rebuilds, and nx affected lists the app', async () => {
    const file = join(ws.root, 'internal/greet/greet.go');
    writeFileSync(file, readFileSync(file, 'utf8').replace('greet v1', 'greet v2'));
    await commit('greet v2');
    const affected = await ws.nx([
      'show',
      'projects',
      '--affected',
      '--base=HEAD~1',
      '--head=HEAD',
      '--json',
    ]);
    const projects = JSON.parse(affected.output.slice(affected.output.indexOf('['))) as string[];
    expect(projects).toEqual(
      expect.arrayContaining(['hello', 'layouts', 'github.com/crossdock/crossdock/internal/greet']),
    );
    expect(projects).not.toContain('relay');
    expect(projects).not.toContain('miniflux');
    // nx graph shows why: an edge from hello to the package's inferred project.
    const graphFile = join(ws.root, 'graph.json');
    expect((await ws.nx(['graph', `--file=${graphFile}`])).exitCode).toBe(0);
    const graph = JSON.parse(readFileSync(graphFile, 'utf8')) as {
      graph: { dependencies: Record<string, { target: string }[]> };
    };
    expect(graph.graph.dependencies.hello.map((d) => d.target)).toContain(
      'github.com/crossdock/crossdock/internal/greet',
    );
    const after = await helloImage();
    expect(after.compileRan).toBe(true);
    expect(after.printed).toBe('banner v2\ngreet v2');
    expect(after.inImage).toBe(true);
  }, 600_000);

  it('mutation harness: no stale output, and no re-run for a file go build does not read', async () => {
    const tasks = await watchedTasks(ws, HARNESS_PROJECTS, HARNESS_SLUGS);
    expect(tasks).toHaveLength(HARNESS_PROJECTS.length * HARNESS_SLUGS.length);
    const results: MutationResult[] = await runHarness(ws, tasks, SELECTED, (line) =>
      console.log(line),
    );
    console.log(harnessTable(results));
    const counts = countOutcomes(results);
    expect(harnessFindings(results).filter((line) => !line.startsWith('OVER'))).toEqual([]);
    expect(counts.stale).toBe(0);
    expect(counts.failed).toBe(0);
    // Every embedded asset, constrained file and package outside a project rebuilt what reads it.
    expect(counts.rebuilt).toBeGreaterThan(20);
    // Over-builds: only module files whose comment or blank line leaves the bytes alone.
    const over = results
      .filter((r) => r.outcomes.some((o) => o.reran && !o.bytesChanged))
      .map((r) => r.file);
    expect(over.filter((file) => !/(^|\/)(go\.mod|go\.sum|go\.work)$/.test(file))).toEqual([]);
    // A test file, a README, testdata or an internal package only tests import re-runs nothing.
    for (const file of results.filter((r) =>
      /_test\.go$|README|testdata|internal\/testing|internal\/unused|notes\.txt|doc\.md/.test(
        r.file,
      ),
    )) {
      expect(
        file.outcomes.filter((o) => o.reran),
        file.file,
      ).toEqual([]);
    }
  }, 1_800_000);

  it('vendoring (go work vendor): vendored files are inputs, the replace target no longer is', async () => {
    await execa('go', ['work', 'vendor'], {
      cwd: ws.root,
      env: { GOFLAGS: '', GOTOOLCHAIN: 'local' },
    });
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-qm', 'go work vendor']);
    const tasks = await watchedTasks(ws, HARNESS_PROJECTS, HARNESS_SLUGS);
    const files = [
      'vendor/example.com/local/lib/lib.go',
      'modules/local/lib/lib.go',
      'vendor/modules.txt',
      'vendor/github.com/lib/pq/conn.go',
    ];
    const results = await runHarness(ws, tasks, files, (line) => console.log(line));
    console.log(harnessTable(results));
    const counts = countOutcomes(results);
    expect(counts.stale).toBe(0);
    expect(counts.failed).toBe(0);
    const ran = (file: string) =>
      results
        .find((r) => r.file === file)!
        .outcomes.filter((o) => o.reran)
        .map((o) => o.task)
        .sort();
    expect(ran('vendor/example.com/local/lib/lib.go')).toEqual([
      'layouts:compile--linux-amd64',
      'layouts:compile--linux-arm64',
    ]);
    expect(ran('modules/local/lib/lib.go')).toEqual([]);
    expect(ran('vendor/github.com/lib/pq/conn.go')).toEqual([
      'miniflux:compile--linux-amd64',
      'miniflux:compile--linux-arm64',
    ]);
  }, 1_200_000);
});
