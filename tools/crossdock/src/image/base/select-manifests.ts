import type { Descriptor } from '@crossdock/oci';
import {
  findPlatform,
  formatPlatform,
  normalizePlatform,
  type Platform,
} from '@crossdock/platform';
import { BaseImageError } from './base-error';

/** Where a base comes from, for messages. */
export interface BaseSource {
  readonly project: string;
  readonly base: string;
}

/**
 * For each of the project's platforms, the index of the base index entry that serves it
 * (findPlatform with compatible matching: arm64 matches arm64/v8, arm/v7 matches a bare arm). Entries
 * without a platform, and attestation manifests, are never chosen. A platform the base
 * lacks is an error naming it and every platform the base offers.
 */
export function selectBaseManifests(
  source: BaseSource,
  platforms: readonly Platform[],
  manifests: readonly Descriptor[],
): number[] {
  const platformOf = (descriptor: Descriptor) =>
    descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest'
      ? undefined
      : descriptor.platform;
  const offered = manifests
    .map(platformOf)
    .filter((platform): platform is Platform => platform !== undefined);
  const chosen: number[] = [];
  const missing: Platform[] = [];
  for (const platform of platforms) {
    const at = findPlatform(platform, manifests, platformOf, 'compatible');
    if (at < 0) missing.push(platform);
    else chosen.push(at);
  }
  if (missing.length > 0) {
    const offers =
      offered.map((p) => formatPlatform(normalizePlatform(p))).join(', ') || 'no platform at all';
    throw new BaseImageError(
      source.project,
      source.base,
      `it has no image for ${missing.map(formatPlatform).join(', ')}; it offers ${offers}. ` +
        `Remove ${missing.length === 1 ? 'that platform' : 'those platforms'} from the project's platforms option, or choose a base that has ${missing.length === 1 ? 'it' : 'them'}.`,
    );
  }
  return chosen;
}
