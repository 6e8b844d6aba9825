import { readTarEntries, type Image } from '@crossdock/oci';
import { formatPlatform, type Platform } from '@crossdock/platform';
import type { ResolvedBase } from './resolved-base';
import { indexRootfs, type RootfsIndex } from './rootfs-index';

/** A resolved base from its chosen images: one per project platform, in the same order. */
export interface ImageBaseParts {
  readonly name: string;
  readonly digest: string;
  readonly from: string;
  readonly registryRepository?: ResolvedBase['registryRepository'];
  readonly platforms: readonly Platform[];
  readonly images: readonly Image[];
}

/**
 * A {@link ResolvedBase} over already chosen images. `hasPath` reads the layers of a
 * platform's image the first time it is asked (layers open lazily, so a registry base
 * downloads them then) and keeps that platform's rootfs index for later questions.
 */
export function baseFromImages(parts: ImageBaseParts): ResolvedBase {
  const byPlatform = new Map(
    parts.platforms.map((platform, i) => [formatPlatform(platform), parts.images[i]!]),
  );
  const indexes = new Map<string, Promise<RootfsIndex>>();
  const imageFor = (platform: Platform): Image => {
    const image = byPlatform.get(formatPlatform(platform));
    if (image === undefined)
      throw new Error(
        `base ${parts.name} was not resolved for ${formatPlatform(platform)}; resolved: ${[...byPlatform.keys()].join(', ')}`,
      );
    return image;
  };
  return {
    name: parts.name,
    digest: parts.digest,
    from: parts.from,
    ...(parts.registryRepository ? { registryRepository: parts.registryRepository } : {}),
    imageFor,
    async hasPath(platform, path) {
      const key = formatPlatform(platform);
      let index = indexes.get(key);
      if (index === undefined) {
        index = rootfsIndexOf(imageFor(platform));
        indexes.set(key, index);
      }
      return (await index).has(path);
    },
  };
}

/** The rootfs index of an image: its layers' tar entries, bottom first. */
export async function rootfsIndexOf(image: Image): Promise<RootfsIndex> {
  const layers = await Promise.all(
    image.layers.map(async (layer) => {
      const tar = await layer.openUncompressed();
      return readTarEntries(async (offset, length) => tar.subarray(offset, offset + length));
    }),
  );
  return indexRootfs(layers);
}
