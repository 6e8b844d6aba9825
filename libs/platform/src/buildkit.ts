import { formatPlatform } from './format';
import { canonicalPlatform } from './parse';
import type { Platform } from './platform';

/** BuildKit's automatic platform build arguments for the target platform. */
export interface TargetBuildArgs {
  readonly TARGETPLATFORM: string;
  readonly TARGETOS: string;
  readonly TARGETARCH: string;
  /** '' when the platform has no variant, as BuildKit sets it. */
  readonly TARGETVARIANT: string;
}

/**
 * The TARGET* build arguments BuildKit defines for a platform (`linux/arm/v7` →
 * TARGETARCH=arm, TARGETVARIANT=v7; `linux/arm64` → TARGETVARIANT=''). Throws
 * PlatformError for a platform crossdock does not support.
 */
export function buildArgs(platform: Platform): TargetBuildArgs {
  const canonical = canonicalPlatform(platform);
  return Object.freeze({
    TARGETPLATFORM: formatPlatform(canonical),
    TARGETOS: canonical.os,
    TARGETARCH: canonical.architecture,
    TARGETVARIANT: canonical.variant ?? '',
  });
}
