import { formatPlatform, type Platform } from '@crossdock/platform';
import { evaluate, fileNameMatches, type Constraint, type TagOracle } from './build-constraints';
import { goBuildContext, tagOracle } from './build-context';
import type { GoFile, PackageDir } from './package-dir';

/**
 * Which Go files of a directory go could compile on some platform: `//go:build ignore` (and
 * any constraint false whatever the platform) never builds; every other tag may be set.
 */
const ANY_PLATFORM: TagOracle = (tag) => (tag === 'ignore' ? false : undefined);

/**
 * Whether a directory is a main package: the Go files that can build say `package main`, and
 * none says another name. A `//go:build ignore` generator (`package main`, the go:generate
 * helper pattern) inside a library package does not make the library a main.
 */
export function isMainPackage(pkg: PackageDir): boolean {
  // A file-name suffix (_linux_arm64.go) matches some platform: only the constraint can rule a file out.
  const building = pkg.goFiles.filter(
    (file) =>
      file.info.constraint === undefined || evaluate(file.info.constraint, ANY_PLATFORM) !== false,
  );
  return (
    building.some((file) => file.info.packageName === 'main') &&
    building.every(
      (file) => file.info.packageName === undefined || file.info.packageName === 'main',
    )
  );
}

/** The platforms of an app's list its main package compiles for, and why each other one does not. */
export interface MainPlatforms {
  readonly buildable: readonly Platform[];
  /** One entry per excluded platform: the platform and the reason, naming the constraints. */
  readonly excluded: readonly { readonly platform: Platform; readonly reason: string }[];
}

/**
 * Splits `platforms` into those where the main package in `pkg` has a `package main` Go file
 * after build constraints (file-name suffixes, `//go:build`, cgo files only with cgo, the
 * build tags), and those where go would answer "build constraints exclude all Go files".
 * Evaluation is three-valued: a platform is excluded only when every file is certainly off.
 */
export function mainPackagePlatforms(
  pkg: PackageDir,
  platforms: readonly Platform[],
  build: { readonly cgo: boolean; readonly tags: readonly string[]; readonly goVersion?: string },
): MainPlatforms {
  const buildable: Platform[] = [];
  const excluded: { platform: Platform; reason: string }[] = [];
  for (const platform of platforms) {
    const tags = tagOracle(goBuildContext(platform, build));
    const files = pkg.goFiles.filter(
      (file) => file.info.packageName === 'main' && fileBuilds(file, tags, build.cgo),
    );
    if (files.length > 0) buildable.push(platform);
    else excluded.push({ platform, reason: exclusionReason(pkg, tags, platform, build.cgo) });
  }
  return { buildable, excluded };
}

function fileBuilds(file: GoFile, tags: TagOracle, cgo: boolean): boolean {
  if (file.info.cgo && !cgo) return false;
  if (!fileNameMatches(file.name, tags)) return false;
  return file.info.constraint === undefined || evaluate(file.info.constraint, tags) !== false;
}

/** `build constraints exclude all Go files for linux/arm64 (main.go: //go:build cgo && amd64)`. */
function exclusionReason(
  pkg: PackageDir,
  tags: TagOracle,
  platform: Platform,
  cgo: boolean,
): string {
  const why = pkg.goFiles
    .filter((file) => file.info.packageName === 'main')
    .map((file) => {
      const parts: string[] = [];
      if (!fileNameMatches(file.name, tags)) parts.push('its file-name suffix');
      if (file.info.constraint !== undefined && evaluate(file.info.constraint, tags) === false)
        parts.push(`//go:build ${formatConstraint(file.info.constraint)}`);
      if (file.info.cgo && !cgo) parts.push('import "C" with cgo: false');
      return `${file.name}: ${parts.join(', ')}`;
    });
  return `build constraints exclude all Go files for ${formatPlatform(platform)} (${why.join('; ') || 'no Go files'})`;
}

/** A constraint as `//go:build` text, with parentheses only where precedence needs them. */
export function formatConstraint(constraint: Constraint, parent?: 'and' | 'or' | 'not'): string {
  switch (constraint.kind) {
    case 'tag':
      return constraint.tag;
    case 'not':
      return `!${formatConstraint(constraint.operand, 'not')}`;
    case 'and':
    case 'or': {
      const op = constraint.kind === 'and' ? ' && ' : ' || ';
      const text = `${formatConstraint(constraint.left, constraint.kind)}${op}${formatConstraint(constraint.right, constraint.kind)}`;
      return parent === undefined || parent === constraint.kind ? text : `(${text})`;
    }
  }
}
