import { batchExecutor } from '../../batch-executor';
import { imageTask } from './executor';

/**
 * The image executor's batch implementation: the image tasks Nx has ready at once (the apps
 * of a run-many) in one process, a few at a time, each still cached and reported on its own.
 */
export default batchExecutor<Record<string, unknown>>((task) => imageTask(task.options, task));
