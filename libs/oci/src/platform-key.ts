import type { OciPlatform } from './descriptor';

/**
 * A platform as one comparable string, `os/architecture[/variant]` followed by
 * `:os.version` when set (e.g. `linux/arm/v7`); two platforms are the same exactly when
 * their keys are equal.
 */
export function platformKey(platform: OciPlatform): string {
  const base = [platform.os, platform.architecture, platform.variant]
    .filter((p) => p !== undefined && p !== '')
    .join('/');
  return platform['os.version'] === undefined ? base : `${base}:${platform['os.version']}`;
}
