import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The stored size of one platform's image in an OCI layout. */
export interface ImageSize {
  /** `linux/arm/v7` */
  readonly platform: string;
  /** config + layers, compressed, as stored (what a registry holds and a pull downloads). */
  readonly bytes: number;
  readonly layers: number;
}

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly artifactType?: string;
  readonly platform?: {
    readonly os: string;
    readonly architecture: string;
    readonly variant?: string;
  };
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);
const MANIFEST_TYPES = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
]);

/**
 * The size of every platform image reachable from `index.json`, given a blob reader
 * (pure: reads only through `readBlob`). Nested indexes are followed; artifacts
 * (attestations, SBOMs: an artifactType, or no platform, or `unknown/unknown`) are skipped.
 */
export function imageSizes(indexJson: string, readBlob: (digest: string) => string): ImageSize[] {
  const sizes: ImageSize[] = [];
  const visit = (descriptors: readonly Descriptor[]) => {
    for (const descriptor of descriptors) {
      if (INDEX_TYPES.has(descriptor.mediaType)) {
        visit((JSON.parse(readBlob(descriptor.digest)) as { manifests: Descriptor[] }).manifests);
        continue;
      }
      const platform = descriptor.platform;
      if (
        !MANIFEST_TYPES.has(descriptor.mediaType) ||
        descriptor.artifactType !== undefined ||
        platform === undefined ||
        platform.os === 'unknown'
      )
        continue;
      const manifest = JSON.parse(readBlob(descriptor.digest)) as {
        config: Descriptor;
        layers: Descriptor[];
      };
      sizes.push({
        platform: [platform.os, platform.architecture, platform.variant]
          .filter((part) => part !== undefined && part !== '')
          .join('/'),
        bytes: manifest.config.size + manifest.layers.reduce((sum, layer) => sum + layer.size, 0),
        layers: manifest.layers.length,
      });
    }
  };
  visit((JSON.parse(indexJson) as { manifests: Descriptor[] }).manifests);
  return sizes;
}

/** The sizes of the platform images of the OCI layout in `dir`. */
export function layoutImageSizes(dir: string): ImageSize[] {
  const readBlob = (digest: string) => {
    const [algorithm, hex] = digest.split(':');
    return readFileSync(join(dir, 'blobs', algorithm, hex), 'utf8');
  };
  return imageSizes(readFileSync(join(dir, 'index.json'), 'utf8'), readBlob);
}
