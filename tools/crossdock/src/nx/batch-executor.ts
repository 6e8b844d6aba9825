import { availableParallelism } from 'node:os';
import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import type { Reporter } from '../support/report/reporter';
import { configuredTargetOptions, type TaskContext } from './executor-context';

/** What one task of a batch needs: its id and options, where it runs, and a reporter for its output. */
export interface BatchTask<O> extends TaskContext {
  readonly id: string;
  readonly options: O;
  /**
   * The dependencies it runs beside (a task that starts early, see BatchOptions.startsEarly);
   * empty for a task that started once its dependencies had finished.
   */
  readonly running: readonly RunningDependency<O>[];
}

/** A dependency an early task runs beside: its task, its options, and when it has finished. */
export interface RunningDependency<O> {
  readonly id: string;
  readonly project: string;
  readonly options: O;
  /** Resolves once the dependency succeeded; rejects when it failed. */
  readonly succeeded: Promise<void>;
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

/** How a batch schedules its tasks. */
export interface BatchOptions<O> {
  /** How many tasks run at once (default: batchConcurrency()). */
  readonly concurrency?: number;
  /**
   * Tasks that start with the batch instead of after their dependencies, outside the
   * concurrency limit, each told when every dependency has finished (the image task reads
   * each platform's binary as soon as its compile is done). They are still reported after
   * their dependencies, and as not run when one failed.
   */
  readonly startsEarly?: (options: O) => boolean;
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
 * (coresPerTask), so that builds side by side do not each start a thread per core. Tasks
 * that start early (BatchOptions.startsEarly) run beside their dependencies instead.
 */
export function batchExecutor<O>(
  run: (task: BatchTask<O>) => Promise<boolean>,
  { concurrency = batchConcurrency(), startsEarly = () => false }: BatchOptions<O> = {},
) {
  return async function* batch(
    taskGraph: TaskGraph,
    inputs: Record<string, O>,
    _overrides: unknown,
    context: ExecutorContext,
  ): AsyncGenerator<BatchTaskResult> {
    type Task = TaskGraph['tasks'][string];
    type Result = BatchTaskResult['result'];
    const tasks = Object.values(taskGraph.tasks);
    const waitingOn = new Map<string, Set<string>>();
    const dependents = new Map<string, string[]>();
    const early: Task[] = [];
    for (const task of tasks) {
      const deps = (taskGraph.dependencies[task.id] ?? [])
        .map(dependencyId)
        .filter((id) => id in taskGraph.tasks);
      waitingOn.set(task.id, new Set(deps));
      // An early task follows its dependencies through their outcomes, not through `ready`.
      if (deps.length > 0 && startsEarly(inputs[task.id] as O)) early.push(task);
      else for (const dep of deps) dependents.set(dep, [...(dependents.get(dep) ?? []), task.id]);
    }
    const ready: Task[] = tasks.filter(
      (task) => waitingOn.get(task.id)!.size === 0 && !early.includes(task),
    );
    const outcomes = new Map(tasks.map((task) => [task.id, settlement()]));
    const done: BatchTaskResult[] = [];
    let wake: (() => void) | undefined;
    let running = 0;
    const finished = new Set<string>();
    const notRun = (id: string, failed: string): Result => {
      const now = Date.now();
      return {
        success: false,
        terminalOutput: `[${taskGraph.tasks[id]!.target.project}] not run: ${failed} failed\n`,
        startTime: now,
        endTime: now,
      };
    };
    const finish = (id: string, result: Result) => {
      finished.add(id);
      done.push({ task: id, result });
      outcomes.get(id)!.settle(result.success);
      wake?.();
      // A dependent runs next (ahead of other ready tasks) once its last dependency succeeded,
      // and fails at once, without running, when one failed.
      for (const dependent of dependents.get(id) ?? []) {
        if (finished.has(dependent)) continue;
        const waiting = waitingOn.get(dependent)!;
        waiting.delete(id);
        if (!result.success) finish(dependent, notRun(dependent, id));
        else if (waiting.size === 0) ready.unshift(taskGraph.tasks[dependent]!);
      }
    };
    const runTask = async (
      task: Task,
      cores: number | undefined,
      runningDeps: readonly RunningDependency<O>[],
    ): Promise<Result> => {
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
          running: runningDeps,
          ...(cores === undefined ? {} : { cores }),
        });
      } catch (error) {
        reporter.block(`[${project}] ${(error as Error).message}`);
        success = false;
      }
      const terminalOutput = lines.map((line) => `${line}\n`).join('');
      return { success, terminalOutput, startTime, endTime: Date.now() };
    };
    const runOne = async (task: Task, cores: number): Promise<void> => {
      finish(task.id, await runTask(task, cores, []));
      running -= 1;
      start();
    };
    // Reported once it and every dependency have ended; as not run when a dependency failed.
    const runEarly = async (task: Task): Promise<void> => {
      const runningDeps = [...waitingOn.get(task.id)!].map((id) => ({
        id,
        project: taskGraph.tasks[id]!.target.project,
        options: inputs[id] as O,
        succeeded: outcomes.get(id)!.succeeded,
      }));
      const [result, ...depOutcomes] = await Promise.allSettled([
        runTask(task, undefined, runningDeps),
        ...runningDeps.map((dep) => dep.succeeded),
      ]);
      const failed = runningDeps.find((_, i) => depOutcomes[i]!.status === 'rejected');
      if (failed) finish(task.id, notRun(task.id, failed.id));
      else finish(task.id, (result as PromiseFulfilledResult<Result>).value);
      start();
    };
    const start = () => {
      while (running < concurrency && ready.length > 0) {
        running += 1;
        const task = ready.shift()!;
        void runOne(task, coresPerTask(running, ready.length, concurrency));
      }
    };
    const total = tasks.length;
    start();
    // After the first tasks have started (a compile spawns its go build before the image
    // reads anything): the early tasks' first steps would otherwise delay them.
    if (early.length > 0) setImmediate(() => early.forEach((task) => void runEarly(task)));
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

/** A task's outcome inside the batch, for the early tasks that depend on it. */
function settlement(): { succeeded: Promise<void>; settle(success: boolean): void } {
  let settle!: (success: boolean) => void;
  const succeeded = new Promise<void>((resolve, reject) => {
    settle = (success) => (success ? resolve() : reject(new Error('failed')));
  });
  succeeded.catch(() => undefined); // only early tasks await it
  return { succeeded, settle };
}

/** A task graph edge's task id: Nx 24 gives edges as `{ id }`, Nx 22 and 23 as the id itself. */
export function dependencyId(edge: string | { readonly id: string }): string {
  return typeof edge === 'string' ? edge : edge.id;
}
