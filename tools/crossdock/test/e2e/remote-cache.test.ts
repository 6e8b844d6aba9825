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
import { crossdockCacheRoot } from '../../src/support/files/cache-root';
import { zigInstallDir } from '../../src/go/cgo/zig';
import { startCacheCli, treeDigests, type CacheCli } from './remote-cache-support';
import { editImageOptions, runTasks } from './workspace-edits';

// Two checkouts of one commit, as a laptop and a CI runner: at different paths, under another
// HOME and USER, with Node, Go and crossdock's zig installed at other paths (same versions) and
// an empty GOCACHE in the second. Every app of the sample takes part, the cgo one (notes) too.
// Every task must hash alike, and with `crossdock cache serve` as Nx's remote cache the second
// restores every task, runs no `go build`, and writes the same bytes.

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
  let machine: Record<string, string>;
  const scratch = mkdtempSync(join(tmpdir(), 'crossdock-remote-cache-'));
  const goLog = join(scratch, 'go-invocations.log');

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    registry = await startRegistry();
    first = await copyWorkspace([], { withCgo: true });
    // hello's six platforms cost minutes of cold compiles and qemu runs that two show as well;
    // notes (SQLite compiled with zig) one, the host's, whose C library zig has built already.
    editImageOptions(first.root, 'apps/hello', (o) => ({
      ...o,
      platforms: ['linux/amd64', 'linux/arm64'],
    }));
    editImageOptions(first.root, 'apps/notes', (o) => ({ ...o, platforms: ['linux/amd64'] }));
    await first.git(['commit', '-qam', 'hello on two platforms, notes on one']);
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
    machine = await otherMachine(scratch, goLog);
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

  it('hashes every task alike in both checkouts, the cgo app with zig elsewhere too', () => {
    const hashes = (run: RunSummary) =>
      Object.fromEntries(run.tasks.map((t) => [t.taskId, t.hash]).sort());
    const projects = new Set(built.tasks.map((t) => t.taskId.split(':')[0]));
    expect([...projects].sort()).toEqual(['hello', 'notes', 'relay']);
    expect(built.tasks.map((t) => t.taskId)).toEqual(
      expect.arrayContaining(['notes:compile--linux-amd64', 'notes:image', 'notes:smoke']),
    );
    expect(hashes(restored)).toEqual(hashes(built));
  });

  it("finds the other machine's zig at its own tool cache root", async () => {
    const zig = await execa(
      'node',
      [join(second.root, 'tools/crossdock/bin/crossdock.js'), 'c-toolchain', '--install'],
      { env: machine },
    );
    expect(zig.stdout.trim()).toBe(join(zigInstallDir(machine.CROSSDOCK_CACHE!), 'zig'));
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
 * The environment of another machine: a new HOME (so an empty GOCACHE), another USER, Node and
 * Go copied to other paths first on PATH (`go` there logs its arguments), and crossdock's tool
 * cache (CROSSDOCK_CACHE) at another root holding a copy of the zig the first checkout used.
 */
async function otherMachine(dir: string, goLog: string): Promise<Record<string, string>> {
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const goroot = (await execa('go', ['env', 'GOROOT'])).stdout.trim();
  const modcache = (await execa('go', ['env', 'GOMODCACHE'])).stdout.trim();
  const goCopy = join(dir, 'elsewhere/go');
  await linkCopy(goroot, goCopy);
  const toolCache = join(dir, 'elsewhere/crossdock-cache');
  mkdirSync(toolCache, { recursive: true });
  await linkCopy(zigInstallDir(crossdockCacheRoot(process.env)), zigInstallDir(toolCache));
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
    CROSSDOCK_CACHE: toolCache,
  };
}

/** Copies a directory tree as hard links where the file system allows (fast), else bytes. */
async function linkCopy(from: string, to: string): Promise<void> {
  await execa('cp', ['-al', from, to]).catch(() => cpSync(from, to, { recursive: true }));
}
