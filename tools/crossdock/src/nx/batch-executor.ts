import { availableParallelism } from 'node:os';
import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import type { Reporter } from '../support/report/reporter';
import { configuredTargetOptions, type TaskContext } from './executor-context';

/** What one task of a batch needs: its id and options, where it runs, and a reporter for its output. */
export interface BatchTask<O> extends TaskContext {
  readonly id: string;
  readonly options: O;
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

/** How many tasks of a batch run at once: one per core, at least two. */
export function batchConcurrency(): number {
  return Math.max(2, availableParallelism());
}

/**
 * The cores a task starting now may use: the machine's, shared among the tasks that run
 * beside it (those running, this one included, and those ready to start), at least one.
 */
export function coresPerTask(running: number, ready: number, concurrency: number): number {
  const sharing = Math.max(1, Math.min(concurrency, running + ready));
  return Math.max(1, Math.floor(availableParallelism() / sharing));
}

/**
 * An Nx batch implementation (`batchImplementation` with `preferBatch` in executors.json):
 * Nx hands every task of this executor that is ready and not restored from its cache to
 * one process, together with the tasks of the same executor that depend on them; this runs
 * `run` for up to `concurrency` of them at a time, each once the tasks it depends on inside
 * the batch have succeeded (a task whose dependency failed fails without running), and
 * reports each as it finishes, so each stays a task of its own (own cache entry, own output,
 * own failure) without a process per task. Each task is told the cores it may use
 * (coresPerTask), so that builds side by side do not each start a thread per core.
 */
export function batchExecutor<O>(
  run: (task: BatchTask<O>) => Promise<boolean>,
  concurrency: number = batchConcurrency(),
) {
  return async function* batch(
    taskGraph: TaskGraph,
    inputs: Record<string, O>,
    _overrides: unknown,
    context: ExecutorContext,
  ): AsyncGenerator<BatchTaskResult> {
    type Task = TaskGraph['tasks'][string];
    const waitingOn = new Map<string, Set<string>>();
    const dependents = new Map<string, string[]>();
    for (const task of Object.values(taskGraph.tasks)) {
      const deps = (taskGraph.dependencies[task.id] ?? [])
        .map(dependencyId)
        .filter((id) => id in taskGraph.tasks);
      waitingOn.set(task.id, new Set(deps));
      for (const dep of deps) dependents.set(dep, [...(dependents.get(dep) ?? []), task.id]);
    }
    const ready: Task[] = Object.values(taskGraph.tasks).filter(
      (task) => waitingOn.get(task.id)!.size === 0,
    );
    const done: BatchTaskResult[] = [];
    let wake: (() => void) | undefined;
    let running = 0;
    const finished = new Set<string>();
    const finish = (id: string, result: BatchTaskResult['result']) => {
      finished.add(id);
      done.push({ task: id, result });
      // A dependent runs next (ahead of other ready tasks) once its last dependency succeeded,
      // and fails at once, without running, when one failed.
      for (const dependent of dependents.get(id) ?? []) {
        if (finished.has(dependent)) continue;
        const waiting = waitingOn.get(dependent)!;
        waiting.delete(id);
        if (!result.success) {
          const now = Date.now();
          finish(dependent, {
            success: false,
            terminalOutput: `[${taskGraph.tasks[dependent]!.target.project}] not run: ${id} failed\n`,
            startTime: now,
            endTime: now,
          });
        } else if (waiting.size === 0) ready.unshift(taskGraph.tasks[dependent]!);
      }
    };
    const runOne = async (task: Task, cores: number): Promise<void> => {
      const project = task.target.project;
      const lines: string[] = [];
      // Nx prints each task's output when the task is reported (and replays it on a cache hit).
      const write = (text: string) => lines.push(text);
      const reporter: Reporter = {
        step: (message) => write(`[${project}] ${message}`),
        warn: (message) => write(`[${project}] WARNING: ${message}`),
        block: (text) => write(text),
        // Live: Nx forwards the batch process's stderr as it comes.
        progress: (message) => process.stderr.write(`[${project}] ${message}\n`),
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
          configuredOptions: configuredTargetOptions(context, project, task.target.target),
          reporter,
          cores,
        });
      } catch (error) {
        reporter.block(`[${project}] ${(error as Error).message}`);
        success = false;
      }
      const terminalOutput = lines.map((line) => `${line}\n`).join('');
      finish(task.id, { success, terminalOutput, startTime, endTime: Date.now() });
      running -= 1;
      start();
      wake?.();
    };
    const start = () => {
      while (running < concurrency && ready.length > 0) {
        running += 1;
        const task = ready.shift()!;
        void runOne(task, coresPerTask(running, ready.length, concurrency));
      }
    };
    const total = Object.keys(taskGraph.tasks).length;
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

/** A task graph edge's task id: Nx 24 gives edges as `{ id }`, Nx 22 and 23 as the id itself. */
export function dependencyId(edge: string | { readonly id: string }): string {
  return typeof edge === 'string' ? edge : edge.id;
}
