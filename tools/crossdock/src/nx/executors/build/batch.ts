import { formatPlatform, parsePlatform, type Platform } from '@crossdock/platform';
import { batchExecutor, type BatchTask } from '../../batch-executor';
import { buildTask, type BuildExecutorOptions } from './executor';

/**
 * The build executor's batch implementation: the compiles Nx has to run and the images that
 * depend on them, in one process. An image starts with the batch, beside its project's
 * compiles: it checks each binary and compresses its layer as soon as that platform's compile
 * has finished, while the registry and git answer and the other compiles go on. A context
 * task starts early the same way.
 */
export default batchExecutor<BuildExecutorOptions>(
  (task) => buildTask(task.options, task, binaryReadiness(task)),
  { startsEarly: (options) => (options.step ?? 'image') !== 'compile' },
);

/**
 * When a platform's binary can be read, for an image task running beside its dependencies:
 * once its project's compile for that platform has succeeded (now when that compile is not in
 * the batch) and every other running dependency has too. Undefined when nothing runs beside it.
 */
export function binaryReadiness(
  task: BatchTask<BuildExecutorOptions>,
): ((platform: Platform) => Promise<void>) | undefined {
  if (task.running.length === 0) return undefined;
  const compiles = new Map<string, Promise<void>>();
  const others: Promise<void>[] = [];
  for (const dependency of task.running) {
    const { step, platform } = dependency.options;
    if (step === 'compile' && dependency.project === task.project && typeof platform === 'string')
      compiles.set(formatPlatform(parsePlatform(platform)), dependency.succeeded);
    else others.push(dependency.succeeded);
  }
  const byPlatform = new Map<string, Promise<void>>();
  return (platform) => {
    const key = formatPlatform(platform);
    let ready = byPlatform.get(key);
    if (!ready) {
      ready = Promise.all([compiles.get(key), ...others]).then(() => undefined);
      ready.catch(() => undefined); // the image awaits it; a failed dependency fails the task
      byPlatform.set(key, ready);
    }
    return ready;
  };
}
