/** A semantic version's numbers and prerelease part. */
interface Semver {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease?: string;
}

const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Parses a semantic version, or undefined. Pure. */
export function parseSemver(version: string): Semver | undefined {
  const match = SEMVER.exec(version);
  if (!match) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    ...(match[4] !== undefined ? { prerelease: match[4] } : {}),
  };
}

function compareStable(a: Semver, b: Semver): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/**
 * The image tags of a release: the version itself, and for a stable version `MAJOR.MINOR`,
 * `MAJOR` and `latest`, each only when no stable release already made (`released`: every
 * version of the project, from its release tags) is newer in that line, so releasing a
 * 1.3.5 fix after 1.4.0 moves `1.3` but neither `1` nor `latest`. A prerelease gets its
 * own tag only. Pure.
 */
export function releaseTags(version: string, released: readonly string[]): string[] {
  const current = parseSemver(version);
  if (!current) return [version];
  if (current.prerelease !== undefined) return [version];
  const stable = released
    .map(parseSemver)
    .filter((v): v is Semver => v !== undefined && v.prerelease === undefined);
  const newestIn = (same: (v: Semver) => boolean) =>
    stable.filter(same).every((v) => compareStable(v, current) <= 0);
  const tags = [version.replace(/^v/, '')];
  if (newestIn((v) => v.major === current.major && v.minor === current.minor))
    tags.push(`${current.major}.${current.minor}`);
  if (newestIn((v) => v.major === current.major)) tags.push(`${current.major}`);
  if (newestIn(() => true)) tags.push('latest');
  return tags;
}
