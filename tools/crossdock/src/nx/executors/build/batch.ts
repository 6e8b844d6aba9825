import { batchExecutor } from '../../batch-executor';
import { buildTask, type BuildExecutorOptions } from './executor';

/**
 * The build executor's batch implementation: the compiles Nx has to run and the images that
 * depend on them, in one process; an image starts once its project's compiles have finished,
 * while other compiles go on (batchExecutor follows the dependencies inside the batch).
 */
export default batchExecutor<BuildExecutorOptions>((task) => buildTask(task.options, task));
