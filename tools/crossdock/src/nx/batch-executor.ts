import { availableParallelism } from 'node:os';
import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import type { Reporter } from '../report/reporter';

/** What one task of a batch needs: its project, the project's root, and a reporter for its output. */
export interface BatchTask<O> {
  readonly id: string;
  readonly options: O;
  readonly workspaceRoot: string;
  readonly project: string;
  readonly projectRoot: string;
  readonly reporter: Reporter;
}

/** One task's result as Nx's batch protocol wants it (its output is what Nx prints and caches). */
export interface BatchTaskResult {
  readonly task: string;
  readonly result: {
    readonly success: boolean;
    readonly terminalOutput: string;
    readonly startTime: number;
    readonly endTime: number;
  };
}

/**
 * An Nx batch implementation (`batchImplementation` with `preferBatch` in executors.json):
 * Nx hands every task of this executor that is ready and not restored from its cache to
 * one process, which runs `run` for up to `concurrency` of them at a time and reports each
 * as it finishes, so each stays a task of its own (own cache entry, own output, own failure)
 * without a process per task.
 */
export function batchExecutor<O>(
  run: (task: BatchTask<O>) => Promise<boolean>,
  concurrency: number = Math.max(2, availableParallelism()),
) {
  return async function* batch(
    taskGraph: TaskGraph,
    inputs: Record<string, O>,
    _overrides: unknown,
    context: ExecutorContext,
  ): AsyncGenerator<BatchTaskResult> {
    const queue = Object.values(taskGraph.tasks);
    const done: BatchTaskResult[] = [];
    let wake: (() => void) | undefined;
    const runOne = async (task: (typeof queue)[number]): Promise<void> => {
      const project = task.target.project;
      const lines: string[] = [];
      // Nx prints each task's output when the task is reported (and replays it on a cache hit).
      const write = (text: string) => lines.push(text);
      const reporter: Reporter = {
        step: (message) => write(`[${project}] ${message}`),
        warn: (message) => write(`[${project}] WARNING: ${message}`),
        block: (text) => write(text),
      };
      const startTime = Date.now();
      let success: boolean;
      try {
        success = await run({
          id: task.id,
          options: inputs[task.id] as O,
          workspaceRoot: context.root,
          project,
          projectRoot: context.projectsConfigurations.projects[project]?.root ?? '.',
          reporter,
        });
      } catch (error) {
        reporter.block(`[${project}] ${(error as Error).message}`);
        success = false;
      }
      const terminalOutput = lines.map((line) => `${line}\n`).join('');
      done.push({
        task: task.id,
        result: { success, terminalOutput, startTime, endTime: Date.now() },
      });
      running -= 1;
      start();
      wake?.();
    };
    let running = 0;
    const start = () => {
      while (running < concurrency && queue.length > 0) {
        running += 1;
        void runOne(queue.shift()!);
      }
    };
    const total = queue.length;
    start();
    for (let reported = 0; reported < total;) {
      if (done.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      for (let next = done.shift(); next !== undefined; next = done.shift()) {
        reported += 1;
        yield next;
      }
    }
  };
}
