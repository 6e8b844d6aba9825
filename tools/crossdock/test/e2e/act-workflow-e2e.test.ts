import {
  appendFileSync,
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import {
  startRegistry,
  type RunningRegistry,
} from '../../../../libs/test-support/src/registry/start-registry';
import {
  TOOL_CACHE_BIN,
  withToolCache,
} from '../../../../libs/test-support/src/supply-chain-tools';
import { dockerGate, TEST_DOCKER } from './docker-gate';
import { jobNames, jobOutput, jobSucceeded, jobTasks } from './act-output';

// .github/workflows/images.yml on a real Actions runner: nektos/act (built by setup-test-env.sh)
// runs it on the host through tools/scripts/act-workflow.sh, twice on one commit, against a
// fresh registry that also holds the Nx remote cache. The commit changes apps/relay only, so
// the plan has two cells (linux/amd64, linux/arm64; the sample's six-platform hello would
// triple the time on a 2-core machine). Each run gets an empty Go build cache: the second run
// can only avoid compiling by restoring from the remote cache.
const gate = dockerGate(
  'the workflow under act',
  ['act', 'go', 'git', 'skopeo', 'docker-registry'],
  withToolCache(process.env),
);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const WRITE_TOKEN = `act-e2e-rw-${process.pid}-q7Lx`;
const READ_TOKEN = `act-e2e-ro-${process.pid}-Zp3k`;

interface Run {
  readonly exitCode: number;
  readonly log: string;
  /** The index digest relay:latest has after the run. */
  readonly digest: string;
  /** The digest files the cells uploaded (act's artifact server's folder), by slug. */
  readonly cells: Record<string, { platform: string; digest: string; blobs: { uploaded: number } }>;
  /** Compiled packages (`!<arch>` archives) in the run's GOCACHE afterwards. */
  readonly goCacheArchives: number;
  readonly seconds: number;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Whether a Go build cache file is a compiled package: an `ar` archive (`!<arch>\n`). */
function isArchive(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(8);
    return readSync(fd, head, 0, 8, 0) === 8 && head.toString('latin1') === '!<arch>\n';
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(!gate.ok && !gate.ci)(
  'images.yml under act, twice on one commit: the second run restores every cell from the remote cache',
  () => {
    const scratch = mkdtempSync(join(tmpdir(), 'crossdock-act-e2e-'));
    let registry: RunningRegistry;
    let ws: WorkspaceCopy;
    const runs: Run[] = [];

    const runWorkflow = async (n: number): Promise<Run> => {
      const work = join(scratch, `act-${n}`);
      const goCache = mkdtempSync(join(scratch, `gocache-${n}-`));
      // The host jobs inherit this environment: a user's shell, not vitest's.
      const env: Record<string, string> = {};
      for (const [key, value] of Object.entries(process.env))
        if (value !== undefined && !/^(VITEST|NODE_ENV$|NX_|TEST$)/.test(key)) env[key] = value;
      Object.assign(env, {
        PATH: [TOOL_CACHE_BIN, '/usr/local/go/bin', process.env.PATH ?? ''].join(delimiter),
        REGISTRY: registry.host,
        CROSSDOCK_CACHE_TOKEN: WRITE_TOKEN,
        CROSSDOCK_CACHE_READ_TOKEN: READ_TOKEN,
        GOCACHE: goCache,
        ACT_WORK: work,
        // npm ci in every job from the machine's npm cache, without asking the registry first.
        npm_config_prefer_offline: 'true',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
      });
      const started = process.hrtime.bigint();
      const result = await execa('bash', [join(ws.root, 'tools/scripts/act-workflow.sh')], {
        cwd: ws.root,
        env,
        extendEnv: false,
        reject: false,
        all: true,
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const log = String(result.all ?? '');
      const digest = (
        await execa(
          'skopeo',
          [
            'inspect',
            '--format',
            '{{.Digest}}',
            '--tls-verify=false',
            `docker://${registry.host}/relay:latest`,
          ],
          { reject: false },
        )
      ).stdout.trim();
      const cells: Run['cells'] = {};
      for (const file of filesUnder(join(work, 'artifacts')).filter((f) => f.endsWith('.json'))) {
        const record = JSON.parse(readFileSync(file, 'utf8'));
        cells[
          file
            .split('/')
            .pop()!
            .replace(/\.json$/, '')
        ] = record;
      }
      return {
        exitCode: result.exitCode ?? -1,
        log,
        digest,
        cells,
        goCacheArchives: filesUnder(goCache).filter(isArchive).length,
        seconds,
      };
    };

    beforeAll(async () => {
      if (!gate.ok) throw new Error(gate.message);
      registry = await startRegistry();
      ws = await copyWorkspace([
        '.github',
        '.ci',
        'package-lock.json',
        'tools/scripts/act-workflow.sh',
        'tools/scripts/lib',
      ]);
      appendFileSync(join(ws.root, 'apps/relay/serve.go'), '\n// changed\n');
      await ws.git(['commit', '-qam', 'change relay']);
      for (const n of [1, 2]) {
        const run = await runWorkflow(n);
        console.log(`act run ${n}: exit ${run.exitCode}, ${run.seconds.toFixed(0)} s`);
        runs.push(run);
      }
    }, 3_600_000);
    afterAll(async () => {
      ws?.remove();
      await registry?.stop();
      rmSync(scratch, { recursive: true, force: true });
    });

    it('runs every job of both runs to success: plan, one build job per cell, merge', () => {
      for (const run of runs) {
        expect(run.exitCode, run.log.slice(-6000)).toBe(0);
        const jobs = [...jobNames(run.log, 'plan'), ...jobNames(run.log, 'build')];
        jobs.push(...jobNames(run.log, 'merge'));
        expect(jobs).toHaveLength(1 + PLATFORMS.length + 1);
        for (const job of jobs) expect(jobSucceeded(run.log, job), job).toBe(true);
      }
    });

    it('plans the changed project only, one cell per platform, each built in its own job', () => {
      for (const run of runs) {
        expect(
          Object.values(run.cells)
            .map((c) => c.platform)
            .sort(),
        ).toEqual([...PLATFORMS].sort());
        const compiled = jobNames(run.log, 'build').flatMap((job) => {
          const tasks = jobTasks(run.log, job);
          return [...tasks.ran, ...tasks.cached].filter((t) => t.includes(':compile--'));
        });
        expect(compiled.sort()).toEqual([
          'relay:compile--linux-amd64',
          'relay:compile--linux-arm64',
        ]);
      }
    });

    it('compiles every cell in the first run and restores every compile from the remote cache in the second', () => {
      const [first, second] = runs;
      for (const job of jobNames(first.log, 'build')) {
        const tasks = jobTasks(first.log, job);
        expect(
          tasks.ran.filter((t) => t.includes(':compile--')),
          job,
        ).toHaveLength(1);
        expect(tasks.cached, job).toEqual([]);
      }
      for (const job of jobNames(second.log, 'build')) {
        const tasks = jobTasks(second.log, job);
        expect(
          tasks.ran.filter((t) => t.includes(':compile--')),
          job,
        ).toEqual([]);
        expect(
          tasks.cached.filter((t) => t.includes(':compile--')),
          job,
        ).toHaveLength(1);
        expect(jobOutput(second.log, job)).toMatch(/\[remote cache\]/);
      }
      // No go build ran in the second run: its Go build cache holds no compiled package (the
      // plan's `go list` leaves package metadata there, never an archive).
      expect(first.goCacheArchives).toBeGreaterThan(0);
      expect(second.goCacheArchives).toBe(0);
    });

    it('passes the same cell digests as artifacts and merges the same index in both runs', () => {
      const [first, second] = runs;
      expect(first.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(second.digest).toBe(first.digest);
      const digests = (run: Run) =>
        Object.fromEntries(Object.entries(run.cells).map(([slug, c]) => [slug, c.digest]));
      expect(Object.keys(first.cells).sort()).toEqual(['linux-amd64', 'linux-arm64']);
      expect(digests(second)).toEqual(digests(first));
      // The first run uploaded each cell's layer and config; the second found them there.
      for (const cell of Object.values(first.cells)) expect(cell.blobs.uploaded).toBeGreaterThan(0);
      for (const cell of Object.values(second.cells)) expect(cell.blobs.uploaded).toBe(0);
      for (const job of jobNames(second.log, 'merge'))
        expect(jobOutput(second.log, job)).toContain(first.digest);
    });

    it.each(PLATFORMS)('docker run --platform %s runs the merged index', async (platform) => {
      const run = await execa(TEST_DOCKER, [
        'run',
        '--rm',
        '--pull',
        'always',
        '--platform',
        platform,
        `${registry.host}/relay:latest`,
        '--version',
      ]);
      const info = JSON.parse(run.stdout.trim().split('\n').pop()!);
      expect(`${info.os}/${info.arch}`).toBe(platform);
    });
  },
);
