import {
  formatPlatform,
  parsePlatform,
  platformFromNode,
  type Platform,
} from '@crossdock/platform';
import { OptionsError } from '../../options/options-error';
import { projectTags } from '../push/tags';
import type { ImageSink } from '../sink';
import { loadImage } from './load-image';

/** The load sink's one flag: the platform to load (default: the host's). */
export interface LoadFlags {
  readonly platform: Platform;
}

/**
 * The local Docker sink: loads one platform's image into Docker as
 * `<repository>:<first tag>` (see loadImage) and says how to run it.
 */
export const loadSink: ImageSink<LoadFlags> = {
  name: 'load',
  flagKeys: new Set(['platform']),
  readFlags(project, raw) {
    const flag = raw['platform'];
    if (flag !== undefined && typeof flag !== 'string')
      throw new OptionsError(
        project,
        'platform',
        'must be one platform, e.g. --platform=linux/arm64',
      );
    return {
      platform:
        typeof flag === 'string'
          ? parsePlatform(flag)
          : platformFromNode(process.arch, process.platform),
    };
  },
  async deliver(image, { platform }, { runner, reporter, env }) {
    const { workspaceRoot, project, options } = image;
    const expanded = await projectTags(runner, workspaceRoot, project, options, env);
    const tag = expanded.tags[0] ?? 'latest';
    const result = await loadImage({
      project,
      layoutDir: image.layoutDir,
      platform,
      repoTag: `${options.repository}:${tag}`,
      runner,
    });
    reporter.step(
      `loaded the ${formatPlatform(result.platform)} image (${result.manifestDigest.slice(0, 19)}, image ID ${result.imageId.slice(7, 19)}) ` +
        `into Docker (${result.docker.program} ${result.docker.clientVersion}) as ${result.repoTag}; try: docker run --rm ${result.repoTag}`,
    );
  },
};
