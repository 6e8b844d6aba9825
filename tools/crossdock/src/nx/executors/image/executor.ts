import { normalizeOptions } from '../../../options/normalize-options';
import { join, relative } from 'node:path';
import { formatPlatform } from '@crossdock/platform';
import { imageRecord, writeRecord } from '../../../image/image-record';
import { imageSummary } from '../../../image/image-summary';
import { DIST } from '../../../support/workspace/dist-paths';
import { taskExecutor, type TaskContext } from '../../executor-context';
import { runContextBuild, runImageBuild } from './run-image-build';
import type { BuildImageRequest } from '../../../image/build-image';

/** Builds the project's multi-arch image as an OCI layout (dist/images/<project>). */
export default taskExecutor(imageTask);

/**
 * One image task (of the executor, or of a batch); false when it failed, said through the
 * reporter. `binaryReady` says when a platform's binary can be read, when the image starts
 * beside its compiles (the build executor's batch).
 */
export async function imageTask(
  rawOptions: Record<string, unknown>,
  { workspaceRoot, project: name, projectRoot: root, reporter }: TaskContext,
  binaryReady?: BuildImageRequest['binaryReady'],
): Promise<boolean> {
  try {
    if ('load' in rawOptions) {
      // A cached image target would skip the load on a cache hit: loading is a target of its own.
      throw new Error(
        `--load is not an option of the image target (a cache hit would skip it); run "nx run ${name}:load", which builds the image first`,
      );
    }
    const options = imageOptions(name, rawOptions);
    const built = await runImageBuild(workspaceRoot, { name, root }, options, reporter, {
      ...(binaryReady ? { binaryReady } : {}),
    });
    const record = await imageRecord(workspaceRoot, options.engine, built);
    await writeRecord(join(workspaceRoot, DIST.imageRecord(name)), record);
    reporter.block(imageSummary(record));
    return true;
  } catch (error) {
    reporter.block(`[${name}] image failed: ${(error as Error).message}`);
    return false;
  }
}

/**
 * One context task: the project's Docker build context in dist/context/<project>, checked as
 * an image's binaries are, for a hand-off to docker or buildx; false when it failed.
 */
export async function contextTask(
  rawOptions: Record<string, unknown>,
  { workspaceRoot, project: name, projectRoot: root, reporter }: TaskContext,
  binaryReady?: BuildImageRequest['binaryReady'],
): Promise<boolean> {
  try {
    const options = imageOptions(name, rawOptions);
    const built = await runContextBuild(workspaceRoot, { name, root }, options, reporter, {
      ...(binaryReady ? { binaryReady } : {}),
    });
    const from = relative(workspaceRoot, built.contextDir);
    reporter.block(
      `[${name}] build context written: ${from} (${built.plan.platforms.length} platform(s)); build it with: docker buildx build --platform=${built.plan.platforms.map((p) => formatPlatform(p.platform)).join(',')} ${from}`,
    );
    return true;
  } catch (error) {
    reporter.block(`[${name}] context failed: ${(error as Error).message}`);
    return false;
  }
}

function imageOptions(name: string, rawOptions: Record<string, unknown>) {
  return normalizeOptions(name, [{ source: 'the image target options', values: rawOptions }]);
}
