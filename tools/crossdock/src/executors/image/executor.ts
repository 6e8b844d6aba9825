import type { ExecutorContext } from '@nx/devkit';
import { normalizeOptions } from '../../options/normalize-options';
import { join } from 'node:path';
import { imageRecord, writeRecord } from '../../report/image-record';
import { imageSummary } from '../../report/image-summary';
import { DIST } from '../../workspace/dist-paths';
import { consoleReporter } from '../../report/reporter';
import { projectOf } from '../../nx/executor-context';
import { runImageBuild } from './run-image-build';

/** Builds the project's multi-arch image as an OCI layout (dist/images/<project>). */
export default async function imageExecutor(
  rawOptions: Record<string, unknown>,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const { name, root } = projectOf(context);
  const reporter = consoleReporter(name);
  try {
    if ('load' in rawOptions) {
      // A cached image target would skip the load on a cache hit: loading is a target of its own.
      throw new Error(
        `--load is not an option of the image target (a cache hit would skip it); run "nx run ${name}:load", which builds the image first`,
      );
    }
    const options = normalizeOptions(name, [
      { source: 'the image target options', values: rawOptions },
    ]);
    const built = await runImageBuild(context, { name, root }, options, reporter);
    const record = await imageRecord(context.root, options.engine, built);
    await writeRecord(join(context.root, DIST.imageRecord(name)), record);
    reporter.block(imageSummary(record));
    return { success: true };
  } catch (error) {
    reporter.block(`[${name}] image failed: ${(error as Error).message}`);
    return { success: false };
  }
}
