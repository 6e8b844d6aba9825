import type { TemplateVariable } from './variables';

/** A value that is not there, and why (no git repository, no tag at HEAD, a version that is not semver). */
export interface Unavailable {
  readonly unavailable: string;
}

/** The values of the template variables for one expansion; absent ones are unavailable. */
export type TemplateValues = Readonly<Partial<Record<TemplateVariable, string | Unavailable>>>;

const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * `{version}`, `{major}`, `{minor}`, `{patch}` and `{prerelease}` of a version string (a
 * leading `v` is allowed); the parts are unavailable when the version is not semver. Pure.
 */
export function versionValues(version: string): TemplateValues {
  const match = SEMVER.exec(version);
  const notSemver = { unavailable: `the version "${version}" is not a semantic version (1.4.0)` };
  return {
    version,
    major: match ? match[1]! : notSemver,
    minor: match ? match[2]! : notSemver,
    patch: match ? match[3]! : notSemver,
    prerelease: match ? (match[4] ?? '') : notSemver,
  };
}

/** Whether a version is a stable release (semver without a prerelease part). Pure. */
export function isStableVersion(version: string): boolean {
  const match = SEMVER.exec(version);
  return match !== null && match[4] === undefined;
}

/** Reads a value, or the reason it is unavailable. */
export function valueOf(values: TemplateValues, name: TemplateVariable): string | Unavailable {
  return values[name] ?? { unavailable: `{${name}} has no value here` };
}
