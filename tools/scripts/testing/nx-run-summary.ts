import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** How Nx got one task's result: from the cache (local or remote) or by running it. */
export type CacheStatus = 'local-cache-hit' | 'remote-cache-hit' | 'cache-miss';

/** One task of an Nx run as Nx recorded it. */
export interface TaskRecord {
  readonly taskId: string;
  readonly hash: string;
  readonly cacheStatus: CacheStatus;
  /** The task's exit code (0 on success). */
  readonly status: number;
}

/** The tasks of the last nx run, split by whether they came from the cache. */
export interface RunSummary {
  readonly tasks: readonly TaskRecord[];
  /** Task ids that hit the cache, sorted. */
  readonly hits: readonly string[];
  /** Task ids that ran (missed the cache, or are not cacheable), sorted. */
  readonly misses: readonly string[];
  hashOf(taskId: string): string | undefined;
}

/**
 * The path of the summary Nx (22 to 24) writes after every task-running command
 * (StoreRunInformationLifeCycle: `<cacheDirectory>/run.json`, one record per task with its
 * hash and cacheStatus). More robust than parsing terminal output.
 */
export function runSummaryPath(workspaceRoot: string, cacheDirectory = '.nx/cache'): string {
  return join(workspaceRoot, cacheDirectory, 'run.json');
}

/** Removes the last run's summary, so a failed command cannot leave a stale one behind. */
export function clearRunSummary(workspaceRoot: string, cacheDirectory?: string): void {
  rmSync(runSummaryPath(workspaceRoot, cacheDirectory), { force: true });
}

/** Reads the summary of the last nx run in a workspace. */
export function readRunSummary(workspaceRoot: string, cacheDirectory?: string): RunSummary {
  const path = runSummaryPath(workspaceRoot, cacheDirectory);
  if (!existsSync(path))
    throw new Error(
      `no Nx run summary at ${path}: the nx command did not run any task (see its output)`,
    );
  const { tasks } = JSON.parse(readFileSync(path, 'utf8')) as { tasks: TaskRecord[] };
  const hit = (t: TaskRecord) =>
    t.cacheStatus === 'local-cache-hit' || t.cacheStatus === 'remote-cache-hit';
  return {
    tasks,
    hits: tasks
      .filter(hit)
      .map((t) => t.taskId)
      .sort(),
    misses: tasks
      .filter((t) => !hit(t))
      .map((t) => t.taskId)
      .sort(),
    hashOf: (taskId) => tasks.find((t) => t.taskId === taskId)?.hash,
  };
}
