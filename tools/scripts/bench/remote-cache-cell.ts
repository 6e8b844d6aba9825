/**
 * One CI cell restored from the remote cache against the same cell built: the sample's
 * `hello:push--linux-arm64` (cross-compile, build the platform's image, push it by digest) in
 * fresh clones with empty Go and Nx caches, as a fresh runner has them. "built": no remote
 * cache; it fills one (`crossdock cache serve` over a registry). "restored": another fresh
 * clone reading that cache (read-only token): the compile comes back as `[remote cache]`,
 * the push runs. Alternates built and restored `--runs` times (default 1), prints the
 * Markdown table of wall and CPU (user + sys of the whole process tree) times.
 *
 *   node -r @swc-node/register tools/scripts/bench/remote-cache-cell.ts [--runs=N]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { cloneWorkspace, copyWorkspace, type WorkspaceCopy } from '../testing/workspace-copy';
import { readRunSummary } from '../testing/nx-run-summary';
import { startRegistry } from '../../../libs/test-support/src/registry/start-registry';
import { startCacheCli } from '../../crossdock/test/e2e/remote-cache-support';

const CELL = 'hello:push--linux-arm64';

interface Timing {
  readonly wall: number;
  readonly cpu: number;
  readonly remoteHits: number;
}

async function runCell(
  ws: WorkspaceCopy,
  registry: string,
  env: Record<string, string>,
): Promise<Timing> {
  const gocache = mkdtempSync(join(tmpdir(), 'crossdock-bench-gocache-'));
  const timeFile = join(gocache, 'time');
  try {
    const result = await execa(
      '/usr/bin/time',
      [
        '-f',
        '%e %U %S',
        '-o',
        timeFile,
        'node',
        join(ws.root, 'node_modules/nx/dist/bin/nx.js'),
        'run',
        CELL,
        `--registry=${registry}`,
        '--outputStyle=static',
      ],
      {
        cwd: ws.root,
        env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', GOCACHE: gocache, ...env },
        reject: false,
        all: true,
      },
    );
    if (result.exitCode !== 0) throw new Error(`nx run ${CELL} failed:\n${result.all}`);
    const [wall, user, sys] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number);
    const remoteHits = readRunSummary(ws.root).tasks.filter(
      (t) => t.cacheStatus === 'remote-cache-hit',
    ).length;
    return { wall: wall!, cpu: user! + sys!, remoteHits };
  } finally {
    rmSync(gocache, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const runs = Number(/^--runs=(\d+)$/.exec(process.argv[2] ?? '')?.[1] ?? 1);
  const loadBefore = loadavg()[0]!;
  const registry = await startRegistry();
  const origin = await copyWorkspace();
  const server = await startCacheCli(origin.root, `${registry.host}/bench/nx-cache`, {
    PATH: process.env.PATH ?? '',
    CROSSDOCK_CACHE_TOKEN: 'bench-rw',
    CROSSDOCK_CACHE_READ_TOKEN: 'bench-ro',
  });
  const rows: string[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      // A new commit per run, so the built cell misses the remote cache it filled before.
      await execa('git', ['commit', '-q', '--allow-empty', '-m', `bench run ${run}`], {
        cwd: origin.root,
      });
      await execa(
        'sh',
        ['-c', `printf '\\n// bench run ${run}\\n' >> apps/hello/main.go && git commit -qam edit`],
        { cwd: origin.root },
      );
      const builtWs = await cloneWorkspace(origin);
      const restoredWs = await cloneWorkspace(origin);
      try {
        const built = await runCell(builtWs, registry.host, {
          NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url,
          NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: 'bench-rw',
        });
        const restored = await runCell(restoredWs, registry.host, {
          NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url,
          NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: 'bench-ro',
        });
        if (built.remoteHits !== 0 || restored.remoteHits !== 1)
          throw new Error(
            `expected 0 and 1 remote hits, got ${built.remoteHits} and ${restored.remoteHits}`,
          );
        rows.push(
          `| ${run} | ${built.wall.toFixed(1)} s | ${built.cpu.toFixed(1)} s | ${restored.wall.toFixed(1)} s | ${restored.cpu.toFixed(1)} s |`,
        );
      } finally {
        builtWs.remove();
        restoredWs.remove();
      }
    }
  } finally {
    process.stderr.write(`cache server: ${await server.stop()}\n`);
    origin.remove();
    await registry.stop();
  }
  console.log(
    [
      `| run | built: wall | built: CPU | restored: wall | restored: CPU |`,
      `| --- | --- | --- | --- | --- |`,
      ...rows,
      '',
      `1-minute load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end (2 cores).`,
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
