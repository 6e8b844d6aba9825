import { emptyImage } from '@crossdock/oci';
import type { Platform } from '@crossdock/platform';
import type { ResolvedBase } from './resolved-base';

/** The empty base: no layers, no config beyond the platform. */
export const scratchBase: ResolvedBase = {
  name: 'scratch',
  from: 'scratch',
  hasPath: async () => false,
  imageFor: (platform: Platform) =>
    emptyImage({
      os: platform.os,
      architecture: platform.architecture,
      ...(platform.variant ? { variant: platform.variant } : {}),
    }),
};
