import { PlatformError } from './errors';
import { formatPlatform } from './format';
import { parsePlatform } from './parse';
import type { Platform } from './platform';
import { SUPPORTED_PLATFORMS } from './supported';

/**
 * Parses a list of platform strings, keeping their order. Throws PlatformError for the
 * first bad entry (as parsePlatform does), and with component 'list' for an empty list or
 * two entries that mean the same platform (`linux/arm64` and `aarch64`), naming both
 * spellings. Never changes the argument.
 */
export function parsePlatformList(inputs: readonly string[]): Platform[] {
  const listInput = JSON.stringify(inputs);
  const valid = SUPPORTED_PLATFORMS.map(formatPlatform);
  if (inputs.length === 0) {
    throw new PlatformError(
      listInput,
      'list',
      'it is empty; name at least one platform, e.g. linux/amd64',
      valid,
    );
  }
  const firstSpelling = new Map<string, string>();
  return inputs.map((input) => {
    const platform = parsePlatform(input);
    const key = formatPlatform(platform);
    const earlier = firstSpelling.get(key);
    if (earlier !== undefined) {
      const which =
        earlier === input
          ? `${JSON.stringify(input)} is listed twice`
          : `${JSON.stringify(earlier)} and ${JSON.stringify(input)} both mean ${key}`;
      throw new PlatformError(listInput, 'list', `${which}; list each platform once`, valid);
    }
    firstSpelling.set(key, input);
    return platform;
  });
}
