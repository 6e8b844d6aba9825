import { SINKS } from '../../../publish/sinks';
import { taskExecutor } from '../../executor-context';
import { sinkTask } from '../sink-task';

/** One load task; false when it failed, said through the reporter. */
export const loadTask = sinkTask(SINKS.load);

/**
 * Loads one platform's image from dist/images/<project> into the local Docker as
 * `<repository>:<first tag>`: the host's platform, or --platform=P. Not cached, so it runs
 * whenever asked (the image target before it is cached as usual).
 */
export default taskExecutor(loadTask);
