import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
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
import {
  startRegistry,
  type RunningRegistry,
} from '../../../../libs/test-support/src/registry/start-registry';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';

const gate = toolGate(
  'CI matrix without a CI service',
  ['go', 'git', 'skopeo', 'docker-registry', 'docker'],
  process.env,
);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

interface Cell {
  project: string;
  platform: string;
  slug: string;
  runner: string;
}

/** Runs `crossdock <args>` in a workspace, as a workflow step would. */
async function crossdock(ws: WorkspaceCopy, args: string[]) {
  return execa('node', [join(ws.root, 'tools/crossdock/bin/crossdock.js'), ...args], {
    cwd: ws.root,
    reject: false,
    all: true,
    env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
}

describe.skipIf(!gate.ok && !gate.ci)(
  'plan, one process per cell (two at a time), merge — as the workflow runs them',
  () => {
    let ws: WorkspaceCopy;
    let registry: RunningRegistry;
    let outputs: Record<string, string>;
    let cells: Cell[];
    const artifacts = mkdtempSync(join(tmpdir(), 'crossdock-artifacts-'));

    beforeAll(async () => {
      if (!gate.ok) throw new Error(gate.message);
      registry = await startRegistry();
      ws = await copyWorkspace();
      // A change to libs/go/httpx affects hello only; commit it so the cells (clones) have it.
      appendFileSync(
        join(
          ws.root,
          'libs/go/httpx',
          readdirSync(join(ws.root, 'libs/go/httpx')).find(
            (f) => f.endsWith('.go') && !f.endsWith('_test.go'),
          )!,
        ),
        '\n// changed\n',
      );
      await ws.git(['commit', '-qam', 'change httpx']);

      const plan = await crossdock(ws, [
        'matrix',
        '--affected',
        '--base=HEAD~1',
        '--head=HEAD',
        '--format',
        'github',
      ]);
      expect(plan.exitCode, plan.all).toBe(0);
      outputs = Object.fromEntries(
        plan.stdout
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      cells = JSON.parse(outputs.matrix).include;

      // Each cell is its own machine: a fresh clone, one nx process, its digest file uploaded as an artifact.
      const runCell = async (cell: Cell) => {
        const clone = await cloneWorkspace(ws);
        try {
          const run = await clone.nx([
            'run',
            `${cell.project}:push--${cell.slug}`,
            `--registry=${registry.host}`,
            '--outputStyle=static',
          ]);
          expect(run.exitCode, run.output).toBe(0);
          const artifact = join(artifacts, `digests-${cell.project}-${cell.slug}`);
          mkdirSync(artifact, { recursive: true });
          cpSync(
            join(clone.root, `dist/digests/${cell.project}/${cell.slug}.json`),
            join(artifact, `${cell.slug}.json`),
          );
          return run.output;
        } finally {
          clone.remove();
        }
      };
      const queue = [...cells];
      await Promise.all(
        [0, 1].map(async () => {
          for (let next = queue.shift(); next; next = queue.shift()) await runCell(next);
        }),
      );
    }, 600_000);
    afterAll(async () => {
      ws?.remove();
      await registry?.stop();
      rmSync(artifacts, { recursive: true, force: true });
    });

    it('plans one cell per platform of the affected project only', () => {
      expect(outputs['has-cells']).toBe('true');
      expect(JSON.parse(outputs.projects)).toEqual({ include: [{ project: 'hello' }] });
      expect(cells.map((c) => c.platform)).toEqual([
        'linux/amd64',
        'linux/arm64',
        'linux/arm/v7',
        'linux/ppc64le',
        'linux/s390x',
        'linux/riscv64',
      ]);
      expect(new Set(cells.map((c) => c.runner))).toEqual(new Set(['ubuntu-latest']));
    });

    it('merges the downloaded digests into one index, tagged, that equals the one-machine build', async () => {
      // download-artifact with pattern digests-hello-* and merge-multiple: one directory of digest files.
      const downloaded = join(ws.root, 'dist/digests-downloaded/hello');
      mkdirSync(downloaded, { recursive: true });
      for (const name of readdirSync(artifacts).filter((n) => n.startsWith('digests-hello-')))
        cpSync(join(artifacts, name), downloaded, { recursive: true });

      const merge = await crossdock(ws, [
        'merge',
        'hello',
        `--digests=${downloaded}`,
        `--registry=${registry.host}`,
      ]);
      expect(merge.exitCode, merge.all).toBe(0);
      expect(merge.stdout).toMatch(/blobs: 0 uploaded, 0 mounted/);

      const index = JSON.parse(
        (
          await execa('skopeo', [
            'inspect',
            '--raw',
            '--tls-verify=false',
            `docker://${registry.host}/hello:latest`,
          ])
        ).stdout,
      );
      expect(
        index.manifests.map(
          (m: { platform: { architecture: string; variant?: string } }) =>
            m.platform.architecture + (m.platform.variant ?? ''),
        ),
      ).toEqual(['amd64', 'arm64', 'armv7', 'ppc64le', 's390x', 'riscv64']);
      // The children are the cells' manifests, byte for byte.
      for (const cell of cells) {
        const record = JSON.parse(readFileSync(join(downloaded, `${cell.slug}.json`), 'utf8'));
        expect(
          index.manifests.find((m: { digest: string }) => m.digest === record.digest),
          cell.platform,
        ).toBeDefined();
      }
      // And the merged index is the one a single machine builds from the same commit.
      const local = await ws.nx(['run', 'hello:image', '--outputStyle=static']);
      expect(local.exitCode, local.output).toBe(0);
      const localIndex = JSON.parse(
        readFileSync(join(ws.root, 'dist/images/hello/index.json'), 'utf8'),
      ).manifests[0].digest;
      const mergedDigest = (
        await execa('skopeo', [
          'inspect',
          '--format',
          '{{.Digest}}',
          '--tls-verify=false',
          `docker://${registry.host}/hello:latest`,
        ])
      ).stdout.trim();
      expect(mergedDigest).toBe(localIndex);
    });

    it.each(['linux/arm64', 'linux/arm/v7'])(
      'docker run --platform %s runs the merged tag',
      async (platform) => {
        const run = await execa('/usr/bin/docker', [
          'run',
          '--rm',
          '--pull',
          'always',
          '--platform',
          platform,
          `${registry.host}/hello:latest`,
          '--version',
        ]);
        const info = JSON.parse(run.stdout.trim().split('\n').pop()!);
        expect(`${info.os}/${info.arch}${info.variant ? `/${info.variant}` : ''}`).toBe(platform);
      },
    );

    it('refuses a digest set with a platform missing, naming it', async () => {
      const partial = join(ws.root, 'dist/digests-partial');
      mkdirSync(partial, { recursive: true });
      cpSync(
        join(artifacts, 'digests-hello-linux-amd64/linux-amd64.json'),
        join(partial, 'linux-amd64.json'),
      );
      const merge = await crossdock(ws, [
        'merge',
        'hello',
        `--digests=${partial}`,
        `--registry=${registry.host}`,
      ]);
      expect(merge.exitCode).toBe(1);
      expect(merge.stderr).toContain(
        'missing digests for linux/arm64, linux/arm/v7, linux/ppc64le, linux/s390x, linux/riscv64',
      );
    });
  },
);
