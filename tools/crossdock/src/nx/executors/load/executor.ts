import { join } from 'node:path';
import { formatPlatform, parsePlatform, platformFromNode } from '@crossdock/platform';
import { loadImage } from '../../../publish/load/load-image';
import { normalizeOptions } from '../../../options/normalize-options';
import { OptionsError } from '../../../options/options-error';
import { execaRunner } from '../../../support/process/runner';
import { projectTags } from '../../../publish/push/tags';
import { DIST } from '../../../support/workspace/dist-paths';
import { taskExecutor, type TaskContext } from '../../executor-context';

/**
 * Loads one platform's image from dist/images/<project> into the local Docker as
 * `<repository>:<first tag>`: the host's platform, or --platform=P. Not cached, so it runs
 * whenever asked (the image target before it is cached as usual).
 */
export default taskExecutor(loadTask);

/** One load task; false when it failed, said through the reporter. */
export async function loadTask(
  rawOptions: Record<string, unknown>,
  { workspaceRoot, project: name, reporter }: TaskContext,
): Promise<boolean> {
  try {
    const options = normalizeOptions(
      name,
      [{ source: 'the load target options', values: rawOptions }],
      new Set(['platform']),
    );
    const flag = rawOptions['platform'];
    if (flag !== undefined && typeof flag !== 'string')
      throw new OptionsError(name, 'platform', 'must be one platform, e.g. --platform=linux/arm64');
    const platform =
      typeof flag === 'string'
        ? parsePlatform(flag)
        : platformFromNode(process.arch, process.platform);
    const expanded = await projectTags(execaRunner, workspaceRoot, name, options, process.env);
    const tag = expanded.tags[0] ?? 'latest';
    const result = await loadImage({
      project: name,
      layoutDir: join(workspaceRoot, DIST.imageDir(name)),
      platform,
      repoTag: `${options.repository}:${tag}`,
      runner: execaRunner,
    });
    reporter.step(
      `loaded the ${formatPlatform(result.platform)} image (${result.manifestDigest.slice(0, 19)}, image ID ${result.imageId.slice(7, 19)}) ` +
        `into Docker (${result.docker.program} ${result.docker.clientVersion}) as ${result.repoTag}; try: docker run --rm ${result.repoTag}`,
    );
    return true;
  } catch (error) {
    reporter.block(`[${name}] load failed: ${(error as Error).message}`);
    return false;
  }
}
