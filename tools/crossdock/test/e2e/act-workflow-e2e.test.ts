import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import {
  startRegistry,
  type RunningRegistry,
} from '../../../../libs/test-support/src/registry/start-registry';
import { withToolCache } from '../../../../libs/test-support/src/supply-chain-tools';
import { dockerGate, TEST_DOCKER } from './docker-gate';
import { cacheServerCounts, jobNames, jobOutput, jobSucceeded, jobTasks } from './act-output';
import { runActWorkflow, type ActEvent, type ActRun } from './act-workflow-run';
import { editFile } from './workspace-edits';

// .github/workflows/images.yml on a real Actions runner: nektos/act (built by setup-test-env.sh)
// runs it on the host through tools/scripts/act-workflow.sh, twice on one commit, against a
// fresh registry that also holds the Nx remote cache. The commit changes apps/relay only, so
// the plan has two cells (linux/amd64, linux/arm64; the sample's six-platform hello would
// triple the time on a 2-core machine). Each run gets an empty Go build cache: the second run
// can only avoid compiling by restoring from the remote cache. A third run is a pull request
// with one more change to relay: its jobs get only the read-only cache token, so the cells
// compile the change (with the first run's Go build cache, which keeps it cheap) and store
// nothing.
const gate = dockerGate(
  'the workflow under act',
  ['act', 'go', 'git', 'skopeo', 'docker-registry'],
  withToolCache(process.env),
);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const TOKENS = {
  write: `act-e2e-rw-${process.pid}-q7Lx`,
  read: `act-e2e-ro-${process.pid}-Zp3k`,
};

describe.skipIf(!gate.ok && !gate.ci)(
  'images.yml under act, twice on one commit (the second run restores every cell from the remote cache), then for a pull request',
  () => {
    const scratch = mkdtempSync(join(tmpdir(), 'crossdock-act-e2e-'));
    let registry: RunningRegistry;
    let ws: WorkspaceCopy;
    /** The two push runs of one commit. */
    const runs: ActRun[] = [];
    /** The pull-request run of the next commit. */
    let pr: ActRun;
    const runWorkflow = async (n: number, event: ActEvent, goCache?: string): Promise<ActRun> => {
      const run = await runActWorkflow({
        ws,
        registry: registry.host,
        scratch,
        n,
        event,
        goCache,
        tokens: TOKENS,
      });
      console.log(`act run ${n} (${event}): exit ${run.exitCode}, ${run.seconds.toFixed(0)} s`);
      return run;
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
      for (const n of [1, 2]) runs.push(await runWorkflow(n, 'push'));
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
      const digests = (run: ActRun) =>
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

    /** What a tag of the test registry points at, as the registry itself answers. */
    const tagDigest = async (repository: string, tag: string): Promise<string | null> => {
      const response = await fetch(`http://${registry.host}/v2/${repository}/manifests/${tag}`, {
        method: 'HEAD',
        headers: {
          accept:
            'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json',
        },
      });
      return response.ok ? response.headers.get('docker-content-digest') : null;
    };

    describe('then a pull request with one more change to relay', () => {
      beforeAll(async () => {
        if (!gate.ok) throw new Error(gate.message);
        editFile(ws.root, 'apps/relay/serve.go', (text) =>
          text.replace('cannot reach upstream', 'cannot reach the upstream'),
        );
        await ws.git(['commit', '-qam', 'change relay in a pull request']);
        // The first run's Go build cache: only relay's own package compiles again.
        pr = await runWorkflow(3, 'pull_request', runs[0]!.goCache);
      }, 1_800_000);

      it('runs every job of the pull request to success: plan, one build job per cell, merge', () => {
        expect(pr.exitCode, pr.log.slice(-6000)).toBe(0);
        const jobs = ['plan', 'build', 'merge'].flatMap((stem) => jobNames(pr.log, stem));
        expect(jobs).toHaveLength(1 + PLATFORMS.length + 1);
        for (const job of jobs) expect(jobSucceeded(pr.log, job), job).toBe(true);
      });

      it('gives a pull request only the read-only cache token: each cell compiles the change and stores nothing', () => {
        const compiles = (tasks: readonly string[]) =>
          tasks.filter((t) => t.includes(':compile--'));
        for (const job of jobNames(pr.log, 'build')) {
          expect(compiles(jobTasks(pr.log, job).ran), job).toHaveLength(1);
          // Nx in the job holds the read-only token: every entry it offered was refused (403).
          const counts = cacheServerCounts(pr.log, job);
          expect(counts, job).toMatchObject({ stored: 0, conflicts: 0, unauthorized: 0 });
          expect(counts!['forbidden'], job).toBeGreaterThanOrEqual(1);
          expect(counts!['forbidden'], job).toBe(counts!['misses']);
        }
        // The push runs' servers had the write token: the first stored each cell's compile.
        for (const job of jobNames(runs[0]!.log, 'build')) {
          const counts = cacheServerCounts(runs[0]!.log, job);
          expect(counts, job).toMatchObject({ forbidden: 0, unauthorized: 0 });
          expect(counts!['stored'], job).toBeGreaterThanOrEqual(1);
        }
      });

      it("pushes the cells of a pull request and tags their index pr-1 only: relay:latest stays main's", async () => {
        expect(pr.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
        expect(pr.digest).not.toBe(runs[0]!.digest);
        expect(Object.keys(pr.cells).sort()).toEqual(['linux-amd64', 'linux-arm64']);
        for (const cell of Object.values(pr.cells)) expect(cell.blobs.uploaded).toBeGreaterThan(0);
        for (const job of jobNames(pr.log, 'merge'))
          expect(jobOutput(pr.log, job)).toContain(pr.digest);
        expect(await tagDigest('relay', 'pr-1')).toBe(pr.digest);
        expect(await tagDigest('relay', 'latest')).toBe(runs[0]!.digest);
      });
    });
  },
);
