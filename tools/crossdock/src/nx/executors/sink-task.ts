import { homedir } from 'node:os';
import { dockerCredentials } from '../../publish/credentials/docker-config';
import { publishImage } from '../../publish/publish-image';
import type { BuiltImage, ImageSink } from '../../publish/sink';
import { processRunner } from '../../support/process/runner';
import type { TaskContext } from '../executor-context';

/** Builds the image a sink delivers when it is not dist/images/<project> (the CI cell push). */
export type PrepareImage<F> = (
  image: BuiltImage,
  flags: F,
  where: TaskContext,
) => Promise<BuiltImage>;

/**
 * The task function of a sink's executor (for taskExecutor): publishImage with what only an
 * executor knows: the environment, the process runner, the Docker config's credentials (read
 * when the sink asks), the configured target options. False when the task failed.
 */
export function sinkTask<F>(
  sink: ImageSink<F>,
  prepare?: PrepareImage<F>,
): (rawOptions: Record<string, unknown>, where: TaskContext) => Promise<boolean> {
  return (rawOptions, where) =>
    publishImage(sink, {
      workspaceRoot: where.workspaceRoot,
      project: where.project,
      raw: rawOptions,
      configured: where.configuredOptions,
      env: process.env,
      runner: processRunner,
      reporter: where.reporter,
      credentials: () => dockerCredentials(process.env, homedir()),
      ...(prepare
        ? { prepare: (image: BuiltImage, flags: F) => prepare(image, flags, where) }
        : {}),
    });
}
