import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cloneWorkspace,
  copyWorkspace,
  type WorkspaceCopy,
} from '../../../scripts/testing/workspace-copy';
import { readRunSummary, type RunSummary } from '../../../scripts/testing/nx-run-summary';
import {
  startRegistry,
  type RunningRegistry,
} from '../../../../libs/test-support/src/registry/start-registry';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { startCacheCli, treeDigests, type CacheCli } from './remote-cache-support';
import { editImageOptions, runTasks } from './workspace-edits';

// Two checkouts of one commit, as a laptop and a CI runner: at different paths, under another
// HOME and USER, with Node and Go installed at other paths (same versions) and an empty
// GOCACHE in the second. Every task must hash alike, and with `crossdock cache serve` as Nx's
// remote cache the second restores every task, runs no `go build`, and writes the same bytes.

const gate = toolGate(
  'remote cache end to end',
  ['go', 'git', 'docker-registry', 'qemu-aarch64-static'],
  process.env,
);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

const TARGETS = ['run-many', '-t', 'image', 'smoke'];

describe.skipIf(!gate.ok && !gate.ci)('a remote cache shared by two checkouts', () => {
  let registry: RunningRegistry;
  let first: WorkspaceCopy;
  let second: WorkspaceCopy;
  let server: CacheCli;
  let built: RunSummary & { output: string };
  let restored: RunSummary & { output: string };
  const scratch = mkdtempSync(join(tmpdir(), 'crossdock-remote-cache-'));
  const goLog = join(scratch, 'go-invocations.log');

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    registry = await startRegistry();
    first = await copyWorkspace();
    // hello's six platforms cost minutes of cold compiles and qemu runs that two show as well.
    editImageOptions(first.root, 'apps/hello', (o) => ({
      ...o,
      platforms: ['linux/amd64', 'linux/arm64'],
    }));
    await first.git(['commit', '-qam', 'hello on two platforms']);
    second = await cloneWorkspace(first);
    server = await startCacheCli(first.root, `${registry.host}/cache-e2e/nx`, {
      CROSSDOCK_CACHE_TOKEN: 'e2e-read-write',
      CROSSDOCK_CACHE_READ_TOKEN: 'e2e-read-only',
    });
    const cache = (token: string) => ({
      NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url,
      NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token,
    });
    let started = Date.now();
    built = await runTasks(first, TARGETS, cache('e2e-read-write'));
    const builtMs = Date.now() - started;
    const machine = await otherMachine(scratch, goLog);
    started = Date.now();
    restored = await runTasks(second, TARGETS, { ...cache('e2e-read-only'), ...machine });
    console.log(
      `remote cache e2e: built ${(builtMs / 1000).toFixed(1)} s, restored ${((Date.now() - started) / 1000).toFixed(1)} s (${built.tasks.length} tasks)`,
    );
  }, 900_000);
  afterAll(async () => {
    await server?.stop();
    first?.remove();
    second?.remove();
    await registry?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('hashes every task alike in both checkouts', () => {
    const hashes = (run: RunSummary) =>
      Object.fromEntries(run.tasks.map((t) => [t.taskId, t.hash]).sort());
    expect(built.tasks.length).toBeGreaterThanOrEqual(8);
    expect(hashes(restored)).toEqual(hashes(built));
  });

  it('restores every task of the second checkout from the remote cache', () => {
    const cached = built.tasks.filter((t) => !t.taskId.endsWith(':compile'));
    expect(
      restored.tasks.filter((t) => t.cacheStatus !== 'remote-cache-hit').map((t) => t.taskId),
    ).toEqual(restored.tasks.filter((t) => t.taskId.endsWith(':compile')).map((t) => t.taskId));
    for (const task of cached)
      expect(restored.output).toMatch(new RegExp(`nx run ${task.taskId}.*\\[remote cache\\]`));
  });

  it('runs no go build in the second checkout', () => {
    const invocations = readFileSync(goLog, 'utf8').split('\n').filter(Boolean);
    expect(invocations.length).toBeGreaterThan(0); // the wrapper was the go in use
    expect(invocations.filter((line) => /^build\b/.test(line))).toEqual([]);
  });

  it('writes byte-identical layouts and binaries', () => {
    for (const dir of ['dist/images', 'dist/bin']) {
      const a = treeDigests(join(first.root, dir));
      expect(Object.keys(a).length).toBeGreaterThan(0);
      expect(treeDigests(join(second.root, dir))).toEqual(a);
    }
  });

  it('stored each task once, and the read-only checkout stored nothing', async () => {
    const stats = await server.stop();
    const cacheable = built.tasks.filter((t) => !t.taskId.endsWith(':compile')).length;
    expect(stats).toMatch(
      new RegExp(`hits ${cacheable}, misses ${cacheable}, stored ${cacheable}, conflicts 0`),
    );
    expect(readRunSummary(second.root).tasks.length).toBe(restored.tasks.length);
  });
});

/**
 * The environment of another machine: a new HOME (so an empty GOCACHE), another USER, and
 * Node and Go copied to other paths first on PATH; `go` there logs its arguments.
 */
async function otherMachine(dir: string, goLog: string): Promise<Record<string, string>> {
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const goroot = (await execa('go', ['env', 'GOROOT'])).stdout.trim();
  const modcache = (await execa('go', ['env', 'GOMODCACHE'])).stdout.trim();
  const goCopy = join(dir, 'elsewhere/go');
  // Hard links where the file system allows (fast), a copy otherwise.
  await execa('cp', ['-al', goroot, goCopy]).catch(() =>
    cpSync(goroot, goCopy, { recursive: true }),
  );
  const bin = join(dir, 'elsewhere/bin');
  mkdirSync(bin, { recursive: true });
  cpSync(process.execPath, join(bin, 'node'));
  writeFileSync(
    join(bin, 'go'),
    `#!/bin/sh\necho "$*" >> '${goLog}'\nexec '${goCopy}/bin/go' "$@"\n`,
  );
  chmodSync(join(bin, 'go'), 0o755);
  writeFileSync(goLog, '');
  return {
    HOME: home,
    USER: 'crossdock-other',
    LOGNAME: 'crossdock-other',
    PATH: `${bin}:${process.env.PATH}`,
    GOCACHE: join(home, '.cache/go-build'),
    // Modules are not build outputs: share the download cache (no network needed).
    GOMODCACHE: modcache,
  };
}
