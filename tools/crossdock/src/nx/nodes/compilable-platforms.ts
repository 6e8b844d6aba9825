import { formatPlatform } from '@crossdock/platform';
import type { PackageReader } from '../../go/closure';
import { isMainPackage, mainPackagePlatforms } from '../../go/main-package-platforms';
import type { CrossdockOptions } from '../../options/normalize-options';
import { OptionsError } from '../../options/options-error';

/** An app's options narrowed to the platforms its main package compiles for. */
export interface CompilablePlatforms {
  readonly options: CrossdockOptions;
  /** The raw `platforms` the executors get when the list was narrowed; empty when it was not. */
  readonly rawOptions: Readonly<Record<string, unknown>>;
  /** Set when no platform is left: why, in one line (the project then has no targets). */
  readonly noImage?: string;
}

/**
 * Keeps the platforms on which the main package in `mainDir` has Go files after build
 * constraints (a `//go:build cgo && amd64` main builds only for linux/amd64 with cgo). A
 * platform list the project sets itself (`explicit`: project.json) is a promise: a platform
 * it names that the package cannot build for is an OptionsError naming the constraint. A
 * list inherited from nx.json or the defaults is narrowed silently; with nothing left the
 * app has no image, and `noImage` says why.
 */
export function compilablePlatforms(
  project: string,
  source: string,
  mainDir: string,
  options: CrossdockOptions,
  explicit: boolean,
  readPackage: PackageReader,
): CompilablePlatforms {
  const pkg = readPackage(mainDir);
  // Not a main package at all (a library given image options): no constraint to name; the
  // compile says "is package X, not a main package" and how to set the main option.
  if (!isMainPackage(pkg)) return { options, rawOptions: {} };
  const { buildable, excluded } = mainPackagePlatforms(pkg, options.platforms, {
    cgo: options.cgo,
    tags: options.buildTags,
  });
  if (excluded.length === 0) return { options, rawOptions: {} };
  if (explicit) {
    const first = excluded[0];
    throw new OptionsError(
      project,
      'platforms',
      `in ${source} asks for ${formatPlatform(first.platform)}, but ${first.reason}; remove ${excluded.map((e) => formatPlatform(e.platform)).join(', ')} from platforms (or change the constraint or the cgo/buildTags options)`,
    );
  }
  const narrowed = { ...options, platforms: buildable };
  if (buildable.length === 0) {
    const platforms = excluded.map((e) => formatPlatform(e.platform)).join(', ');
    const reason = `no configured platform (${platforms}) compiles it: ${excluded[0].reason}`;
    return { options: narrowed, rawOptions: {}, noImage: reason };
  }
  return { options: narrowed, rawOptions: { platforms: buildable.map(formatPlatform) } };
}
