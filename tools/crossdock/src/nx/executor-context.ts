import type { ExecutorContext } from '@nx/devkit';
import { consoleReporter, type Reporter } from '../support/report/reporter';

/** The name and root of the project an executor runs for. */
export function projectOf(context: ExecutorContext): { name: string; root: string } {
  const name = context.projectName;
  if (!name) throw new Error('crossdock executors run for a project (nx run <project>:<target>)');
  const project = context.projectsConfigurations.projects[name];
  return { name, root: project.root };
}

/** The options of a target as configured (project.json, inferred), without the command line's. */
export function configuredTargetOptions(
  context: ExecutorContext,
  project: string,
  target: string | undefined,
): Readonly<Record<string, unknown>> {
  const options = target
    ? context.projectsConfigurations.projects[project]?.targets?.[target]?.options
    : undefined;
  return (options as Record<string, unknown> | undefined) ?? {};
}

/** Where one task runs: the workspace, its project, and where its output goes. */
export interface TaskContext {
  readonly workspaceRoot: string;
  readonly project: string;
  readonly projectRoot: string;
  /** The task's target options as configured, without the command line's (see configuredTargetOptions). */
  readonly configuredOptions: Readonly<Record<string, unknown>>;
  readonly reporter: Reporter;
  /** The cores this task may use when it runs beside other tasks of a batch; all of them when absent. */
  readonly cores?: number;
}

/**
 * The Nx executor of one task function (false when the task failed, said through the
 * reporter); the batch implementations call the same function for each task of a batch.
 */
export function taskExecutor<O>(runTask: (options: O, where: TaskContext) => Promise<boolean>) {
  return async (options: O, context: ExecutorContext): Promise<{ success: boolean }> => {
    const { name, root } = projectOf(context);
    const success = await runTask(options, {
      workspaceRoot: context.root,
      project: name,
      projectRoot: root,
      configuredOptions: configuredTargetOptions(context, name, context.targetName),
      reporter: consoleReporter(name),
    });
    return { success };
  };
}
