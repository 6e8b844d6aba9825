import { SUPPORTED_ARCHITECTURES, SUPPORTED_OSES, VARIANT_RULES } from './architectures';
import { makePlatform, type Platform } from './platform';

/**
 * Every platform crossdock can build, canonical, in message order: linux/amd64,
 * linux/amd64/v2 … linux/arm/v5 … linux/loong64.
 */
export const SUPPORTED_PLATFORMS: readonly Platform[] = Object.freeze(
  SUPPORTED_OSES.flatMap((os) =>
    SUPPORTED_ARCHITECTURES.flatMap((architecture) => {
      const variants = [...new Set(Object.values(VARIANT_RULES[architecture]!.spellings))];
      return variants.sort().map((variant) => makePlatform(os, architecture, variant));
    }),
  ),
);
