import type { Platform } from './platform';

/** Formats a platform the OCI/Docker way: `linux/amd64`, `linux/arm/v7`. */
export function formatPlatform(platform: Platform): string {
  return components(platform).join('/');
}

/**
 * A platform as one word of lower-case letters, digits and dashes: `linux-arm-v7`. Used in
 * Nx target names (`compile--linux-arm-v7`), CI matrix keys and file names.
 */
export function platformSlug(platform: Platform): string {
  return components(platform).join('-');
}

/**
 * A platform as a relative directory path, os/architecture[/variant]: `linux/arm/v7`, for
 * layouts such as dist/bin/<project>/<os>/<arch>[/<variant>]. Always '/'-separated.
 */
export function platformPath(platform: Platform): string {
  return components(platform).join('/');
}

function components(platform: Platform): string[] {
  const parts = [platform.os, platform.architecture];
  if (platform.variant) parts.push(platform.variant);
  return parts;
}
