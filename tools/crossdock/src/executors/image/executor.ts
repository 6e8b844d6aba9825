import { homedir } from 'node:os';
import type { ExecutorContext } from '@nx/devkit';
import { dockerCredentials } from '../../credentials/docker-config';
import { buildImage } from '../../image/build-image';
import { normalizeOptions } from '../../options/normalize-options';
import { execaRunner } from '../../process/runner';
import { imageSummary } from '../../report/image-summary';
import { consoleReporter } from '../../report/reporter';
import { projectOf } from '../../workspace/executor-context';
import { dependencyClosureRoots } from '../../workspace/go-closure';

/** Builds the project's multi-arch image as an OCI layout (dist/images/<project>). */
export default async function imageExecutor(rawOptions: Record<string, unknown>, context: ExecutorContext): Promise<{ success: boolean }> {
  const { name, root } = projectOf(context);
  const reporter = consoleReporter(name);
  try {
    if ('load' in rawOptions) {
      // A cached image target would skip the load on a cache hit: loading is a target of its own.
      throw new Error(`--load is not an option of the image target (a cache hit would skip it); run "nx run ${name}:load", which builds the image first`);
    }
    const options = normalizeOptions(name, [{ source: 'the image target options', values: rawOptions }]);
    const sourceRoots = context.projectGraph ? dependencyClosureRoots(context.projectGraph, name) : [root];
    const built = await buildImage({
      workspaceRoot: context.root,
      project: name,
      options,
      sourceRoots,
      projectRoot: root,
      runner: execaRunner,
      reporter,
      sourceDateEpoch: process.env.SOURCE_DATE_EPOCH,
      // A registry base may need credentials: the Docker config, found as docker finds it.
      registryCredentials: await dockerCredentials(process.env, homedir()),
    });
    reporter.block(await imageSummary(name, built));
    return { success: true };
  } catch (error) {
    reporter.block(`[${name}] image failed: ${(error as Error).message}`);
    return { success: false };
  }
}
