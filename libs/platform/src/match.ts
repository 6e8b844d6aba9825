import { normalizePlatform } from './normalize';
import type { Platform } from './platform';

/** Whether two platforms are written the same (os, architecture, variant; no aliases). */
export function platformsEqual(a: Platform, b: Platform): boolean {
  return (
    a.os === b.os && a.architecture === b.architecture && (a.variant ?? '') === (b.variant ?? '')
  );
}

/**
 * Whether an offered platform (e.g. from a base image's index) is the wanted platform once
 * both are normalised: linux/arm64 matches offered arm64/v8, linux/arm/v7 matches offered
 * arm with no variant (Docker's convention), linux/amd64 matches offered amd64/v1.
 */
export function platformMatches(wanted: Platform, offered: Platform): boolean {
  return platformsEqual(normalizePlatform(wanted), normalizePlatform(offered));
}

/**
 * Whether code built for `offered` runs wherever `wanted` runs: the same platform, or the
 * same os and architecture at an older level (arm/v6 or v5 for arm/v7, amd64/v2 or plain
 * amd64 for amd64/v3), as containerd's platform vector allows. Never across architectures.
 */
export function platformCompatible(wanted: Platform, offered: Platform): boolean {
  return compatibilityDistance(normalizePlatform(wanted), normalizePlatform(offered)) !== undefined;
}

/**
 * How an offered platform may serve a wanted one: `normalised` only the same platform once
 * both are normalised (platformMatches: for images crossdock built itself), `compatible` also
 * an older level of the same architecture (platformCompatible: for bases and `docker run`).
 */
export type PlatformMatching = 'normalised' | 'compatible';

/**
 * The index of the entry whose platform best serves `wanted`, or -1 when none does: the one
 * way to pick a platform's manifest from an index, an archive or a list of builds. Best is an
 * exact spelling, then a match after normalisation, then (`compatible`) the newest older
 * level; ties go to the earliest entry. Entries without a platform are never chosen.
 */
export function findPlatform<T>(
  wanted: Platform,
  entries: readonly T[],
  platformOf: (entry: T) => Platform | undefined,
  matching: PlatformMatching = 'normalised',
): number {
  const normalWanted = normalizePlatform(wanted);
  const worst = matching === 'normalised' ? 1 : Number.POSITIVE_INFINITY;
  let best = -1;
  let bestRank = Number.POSITIVE_INFINITY;
  entries.forEach((entry, index) => {
    const candidate = platformOf(entry);
    const rank = candidate === undefined ? undefined : rankOf(wanted, normalWanted, candidate);
    if (rank !== undefined && rank <= worst && rank < bestRank) {
      best = index;
      bestRank = rank;
    }
  });
  return best;
}

/**
 * The index of the offered platform that best serves the wanted one, or -1 when none does
 * (findPlatform with `compatible` matching over plain platforms).
 */
export function selectPlatformMatch(wanted: Platform, offered: readonly Platform[]): number {
  return findPlatform(wanted, offered, (platform) => platform, 'compatible');
}

/** 0 for an exact spelling, 1 for a match after normalisation, 1 + n for n levels older. */
function rankOf(wanted: Platform, normalWanted: Platform, candidate: Platform): number | undefined {
  if (platformsEqual(wanted, candidate)) return 0;
  const distance = compatibilityDistance(normalWanted, normalizePlatform(candidate));
  return distance === undefined ? undefined : distance + 1;
}

/** How many levels older `offered` is than `wanted` (0 = same), or undefined if it cannot serve. */
function compatibilityDistance(wanted: Platform, offered: Platform): number | undefined {
  if (wanted.os !== offered.os || wanted.architecture !== offered.architecture) return undefined;
  if ((wanted.variant ?? '') === (offered.variant ?? '')) return 0;
  const wantedLevel = level(wanted);
  const offeredLevel = level(offered);
  if (wantedLevel === undefined || offeredLevel === undefined || offeredLevel > wantedLevel)
    return undefined;
  return wantedLevel - offeredLevel;
}

/** The numeric level of an arm or amd64 platform (arm/v7 → 7, amd64 → 1), else undefined. */
function level(platform: Platform): number | undefined {
  if (platform.architecture !== 'arm' && platform.architecture !== 'amd64') return undefined;
  const variant = platform.variant ?? (platform.architecture === 'amd64' ? 'v1' : '');
  const match = /^v(\d+)$/.exec(variant);
  return match ? Number(match[1]) : undefined;
}
