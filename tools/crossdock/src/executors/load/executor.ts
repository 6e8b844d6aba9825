import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { formatPlatform, parsePlatform, platformFromNode } from '@crossdock/platform';
import { loadImage } from '../../load/load-image';
import { normalizeOptions } from '../../options/normalize-options';
import { OptionsError } from '../../options/options-error';
import { execaRunner } from '../../process/runner';
import { projectTags } from '../../push/tags';
import { consoleReporter } from '../../report/reporter';
import { DIST } from '../../workspace/dist-paths';
import { projectOf } from '../../nx/executor-context';

/**
 * Loads one platform's image from dist/images/<project> into the local Docker as
 * `<repository>:<first tag>`: the host's platform, or --platform=P. Not cached, so it runs
 * whenever asked (the image target before it is cached as usual).
 */
export default async function loadExecutor(
  rawOptions: Record<string, unknown>,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const { name } = projectOf(context);
  const reporter = consoleReporter(name);
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
    const expanded = await projectTags(execaRunner, context.root, name, options, process.env);
    const tag = expanded.tags[0] ?? 'latest';
    const result = await loadImage({
      project: name,
      layoutDir: join(context.root, DIST.imageDir(name)),
      platform,
      repoTag: `${options.repository}:${tag}`,
      runner: execaRunner,
    });
    reporter.step(
      `loaded the ${formatPlatform(result.platform)} image (${result.manifestDigest.slice(0, 19)}, image ID ${result.imageId.slice(7, 19)}) ` +
        `into Docker (${result.docker.program} ${result.docker.clientVersion}) as ${result.repoTag}; try: docker run --rm ${result.repoTag}`,
    );
    return { success: true };
  } catch (error) {
    reporter.block(`[${name}] load failed: ${(error as Error).message}`);
    return { success: false };
  }
}
