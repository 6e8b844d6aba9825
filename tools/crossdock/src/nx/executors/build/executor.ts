import { taskExecutor, type TaskContext } from '../../executor-context';
import { compileTask, type CompileExecutorOptions } from '../compile/executor';
import { contextTask, imageTask } from '../image/executor';
import { BUILD_STEPS, type BuildStep } from './steps';

/**
 * Options of the build executor (the inferred compile--<platform> and image targets): the
 * step (see steps.ts; image when absent), and that step's options (the compile executor's,
 * or the image executor's).
 */
export type BuildExecutorOptions = { readonly step?: BuildStep } & Record<string, unknown>;

/**
 * The compile and image executors as one: Nx puts the tasks of one executor that are ready
 * together, and their dependents of the same executor, in one batch process (batch.ts), so a
 * project's compiles and its image run in one process instead of one per executor.
 */
export default taskExecutor(buildTask);

/** One task of the build executor; false when it failed, said through the reporter (binaryReady: see imageTask). */
export async function buildTask(
  { step = 'image', ...options }: BuildExecutorOptions,
  context: TaskContext,
  binaryReady?: Parameters<typeof imageTask>[2],
): Promise<boolean> {
  if (step === 'compile') return compileTask(options as unknown as CompileExecutorOptions, context);
  if (step === 'image') return imageTask(options, context, binaryReady);
  if (step === 'context') return contextTask(options, context, binaryReady);
  context.reporter.block(
    `[${context.project}] the build executor needs the option step: ${BUILD_STEPS.map((s) => `"${s}"`).join(', ')}, got ${JSON.stringify(step)}`,
  );
  return false;
}
