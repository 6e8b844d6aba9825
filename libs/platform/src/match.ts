import { normalizePlatform } from './normalize';
import type { Platform } from './platform';

/** Whether two platforms are written the same (os, architecture, variant; no aliases). */
export function platformsEqual(a: Platform, b: Platform): boolean {
  return a.os === b.os && a.architecture === b.architecture && (a.variant ?? '') === (b.variant ?? '');
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
 * The index of the offered platform that best serves the wanted one, or -1 when none does.
 * Best is an exact spelling, then a match after normalisation (platformMatches), then the
 * newest compatible older level (platformCompatible); ties go to the earliest entry.
 */
export function selectPlatformMatch(wanted: Platform, offered: readonly Platform[]): number {
  const normalWanted = normalizePlatform(wanted);
  let best = -1;
  let bestRank = Number.POSITIVE_INFINITY;
  offered.forEach((candidate, index) => {
    const rank = rankOf(wanted, normalWanted, candidate);
    if (rank !== undefined && rank < bestRank) {
      best = index;
      bestRank = rank;
    }
  });
  return best;
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
  if (wantedLevel === undefined || offeredLevel === undefined || offeredLevel > wantedLevel) return undefined;
  return wantedLevel - offeredLevel;
}

/** The numeric level of an arm or amd64 platform (arm/v7 → 7, amd64 → 1), else undefined. */
function level(platform: Platform): number | undefined {
  if (platform.architecture !== 'arm' && platform.architecture !== 'amd64') return undefined;
  const variant = platform.variant ?? (platform.architecture === 'amd64' ? 'v1' : '');
  const match = /^v(\d+)$/.exec(variant);
  return match ? Number(match[1]) : undefined;
}
