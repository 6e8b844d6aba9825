import { batchExecutor } from '../../batch-executor';
import { compileTask, type CompileExecutorOptions } from './executor';

/**
 * The compile executor's batch implementation: every compile task Nx has to run (each
 * platform of each app) in one process, a few `go build`s at a time, each task still cached
 * and reported on its own. Saves a Node process and an Nx start-up per platform.
 */
export default batchExecutor<CompileExecutorOptions>((task) => compileTask(task.options, task));
