import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parsePlatform, platformPath } from '@crossdock/platform';
import { goBuildArgs, goBuildEnv, type GoBuildSpec } from '../../crossdock/src/go/compile/go-build';
import { COMPILE_PREFIX } from '../../crossdock/src/nx/nodes/targets';
import { goListFiles } from '../testing/go-list';
import { clearRunSummary, readRunSummary } from '../testing/nx-run-summary';
import type { WorkspaceCopy } from '../testing/workspace-copy';
import { mutationFor, type MutationKind } from './mutate';

/** One compile task the harness watches: its Nx id and how to build the same binary without Nx. */
export interface WatchedTask {
  readonly id: string;
  readonly project: string;
  /** The project root and main package, relative to the workspace. */
  readonly projectRoot: string;
  readonly binary: string;
  readonly output: string;
  /** The compile's go build, as the compile executor runs it (the oracle writes its own output). */
  readonly spec: Omit<GoBuildSpec, 'output'>;
}

/** What one mutation did to one task. */
export interface TaskOutcome {
  readonly task: string;
  /** Nx ran the task (its hash changed). */
  readonly reran: boolean;
  /** A fresh build's binary differs from the baseline. */
  readonly bytesChanged: boolean;
}

/** One mutated file and what it did to every watched task. */
export interface MutationResult {
  readonly file: string;
  readonly kind: MutationKind;
  readonly outcomes: readonly TaskOutcome[];
  /** Set when nx failed under the mutation (the edit broke the build): then outcomes are empty. */
  readonly failure?: string;
}

/** Totals over (mutation, task) pairs. */
export interface HarnessCounts {
  readonly mutations: number;
  readonly pairs: number;
  /** Re-ran and the bytes changed: the cache did its job. */
  readonly rebuilt: number;
  /** Cache hit and the bytes would not change. */
  readonly hits: number;
  /** Cache hit, but a fresh build gives other bytes: a stale output. Must be 0. */
  readonly stale: number;
  /** Re-ran, but the bytes are the same: work done for nothing. */
  readonly overBuilt: number;
  readonly failed: number;
}

/** The compile targets of the projects' platforms, read from `nx show project --json`. */
export async function watchedTasks(
  ws: WorkspaceCopy,
  projects: readonly string[],
  slugs?: readonly string[],
): Promise<WatchedTask[]> {
  const tasks: WatchedTask[] = [];
  for (const project of projects) {
    const shown = await ws.nx(['show', 'project', project, '--json']);
    if (shown.exitCode !== 0)
      throw new Error(`nx show project ${project} failed:\n${shown.output}`);
    const json = JSON.parse(shown.output.slice(shown.output.indexOf('{'))) as {
      root: string;
      targets: Record<string, { executor?: string; options?: Record<string, unknown> }>;
    };
    for (const [target, config] of Object.entries(json.targets)) {
      if (!target.startsWith(COMPILE_PREFIX)) continue;
      const slug = target.slice(COMPILE_PREFIX.length);
      if (slugs !== undefined && !slugs.includes(slug)) continue;
      const o = config.options ?? {};
      const platform = parsePlatform(String(o.platform));
      const binary = String(o.binary);
      tasks.push({
        id: `${project}:${target}`,
        project,
        projectRoot: json.root,
        binary,
        output: join(ws.root, 'dist/bin', project, platformPath(platform), binary),
        spec: {
          platform,
          main: String(o.main ?? '.'),
          version: String(o.version ?? '0.0.0-dev'),
          ldflags: (o.ldflags as string[] | undefined) ?? [],
          buildTags: (o.buildTags as string[] | undefined) ?? [],
          cgo: o.cgo === true,
        },
      });
    }
  }
  return tasks;
}

/** The files `go list -deps` says a task's build reads (workspace-relative), plus every module file. */
async function filesRead(ws: WorkspaceCopy, task: WatchedTask): Promise<Set<string>> {
  return goListFiles(ws.root, join(task.projectRoot, task.spec.main), task.spec.platform, {
    cgo: task.spec.cgo,
    tags: task.spec.buildTags,
  });
}

const isModuleFile = (file: string) =>
  /(^|\/)(go\.mod|go\.sum|go\.work|go\.work\.sum|modules\.txt)$/.test(file);

/** Builds a task's binary with go build directly (crossdock's own arguments and environment), returning its sha256. */
async function oracleBuild(ws: WorkspaceCopy, task: WatchedTask): Promise<string> {
  const output = join(ws.root, '.oracle', task.id.replace(/[:/]/g, '_'), task.binary);
  mkdirSync(join(output, '..'), { recursive: true });
  const spec: GoBuildSpec = { ...task.spec, output };
  await execa('go', goBuildArgs(spec), {
    cwd: join(ws.root, task.projectRoot),
    env: goBuildEnv(spec, process.env),
    extendEnv: false,
  });
  return sha256(readFileSync(output));
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Mutates each file in turn, runs every watched compile task through Nx, and records per
 * task whether Nx re-ran it and whether a fresh build's bytes changed; then restores the
 * file. A fresh build runs only where go build reads the file (go list's answer, taken once);
 * a file go build does not read cannot change its output.
 */
export async function runHarness(
  ws: WorkspaceCopy,
  tasks: readonly WatchedTask[],
  files: readonly string[],
  progress: (line: string) => void = () => undefined,
): Promise<MutationResult[]> {
  const targets = [...new Set(tasks.map((t) => t.id.split(':')[1]))];
  const projects = [...new Set(tasks.map((t) => t.project))];
  const args = [
    'run-many',
    '-t',
    targets.join(','),
    '-p',
    projects.join(','),
    '--outputStyle=static',
  ];
  const run = async () => {
    clearRunSummary(ws.root);
    const result = await ws.nx(args);
    return { ...result, summary: result.exitCode === 0 ? readRunSummary(ws.root) : undefined };
  };
  const first = await run();
  if (first.exitCode !== 0) throw new Error(`baseline build failed:\n${first.output}`);
  const baseline = new Map(tasks.map((t) => [t.id, sha256(readFileSync(t.output))]));
  const reads = new Map<string, Set<string>>();
  for (const task of tasks) {
    reads.set(task.id, await filesRead(ws, task));
    const fresh = await oracleBuild(ws, task);
    if (fresh !== baseline.get(task.id))
      throw new Error(
        `${task.id}: go build gives other bytes than the Nx compile (${fresh} vs ${baseline.get(task.id)}); the oracle is unusable`,
      );
  }

  const results: MutationResult[] = [];
  for (const [index, file] of files.entries()) {
    const path = join(ws.root, file);
    const original = readFileSync(path);
    const mutation = mutationFor(file);
    writeFileSync(path, mutation.apply(original));
    try {
      const after = await run();
      if (after.exitCode !== 0 || after.summary === undefined) {
        results.push({
          file,
          kind: mutation.kind,
          outcomes: [],
          failure: after.output.split('\n').slice(-15).join('\n'),
        });
        continue;
      }
      const outcomes: TaskOutcome[] = [];
      for (const task of tasks) {
        const reran = after.summary.misses.includes(task.id);
        const built = sha256(readFileSync(task.output));
        const read = reads.get(task.id)!.has(file) || isModuleFile(file);
        const fresh = read ? await oracleBuild(ws, task) : baseline.get(task.id)!;
        if (reran && built !== fresh)
          throw new Error(`${task.id}: Nx's build of ${file}'s mutation differs from go build's`);
        outcomes.push({ task: task.id, reran, bytesChanged: fresh !== baseline.get(task.id) });
      }
      results.push({ file, kind: mutation.kind, outcomes });
      const ran = outcomes.filter((o) => o.reran).length;
      const changed = outcomes.filter((o) => o.bytesChanged).length;
      progress(`[${index + 1}/${files.length}] ${file}: ${ran} re-ran, ${changed} changed bytes`);
    } finally {
      writeFileSync(path, original);
    }
  }
  // Back to the baseline: every task hits again and the oracle binaries match.
  for (const task of tasks) if (reads.get(task.id)!.size > 0) await oracleBuild(ws, task);
  return results;
}

/** Totals of a harness run. */
export function countOutcomes(results: readonly MutationResult[]): HarnessCounts {
  const pairs = results.flatMap((r) => r.outcomes);
  return {
    mutations: results.length,
    pairs: pairs.length,
    rebuilt: pairs.filter((p) => p.reran && p.bytesChanged).length,
    hits: pairs.filter((p) => !p.reran && !p.bytesChanged).length,
    stale: pairs.filter((p) => !p.reran && p.bytesChanged).length,
    overBuilt: pairs.filter((p) => p.reran && !p.bytesChanged).length,
    failed: results.filter((r) => r.failure !== undefined).length,
  };
}
