import { join, relative } from 'node:path';
import type { Platform } from '@crossdock/platform';
import { goBuildContext } from './build-context';
import { goClosure, type GoClosure, type PackageReader } from './closure';
import { isInside, moduleContext, type ModuleContext } from './module-context';
import { readPackageDir, type PackageDir } from './package-dir';

/** The Go closures of one app: one per platform, in the order of the platforms given. */
export interface AppClosures {
  readonly modules?: ModuleContext;
  readonly closures: readonly GoClosure[];
}

/** What decides an app's closures besides the files: where its main package is and how it builds. */
export interface AppBuildSpec {
  /** The main package directory, relative to the workspace root. */
  readonly mainDir: string;
  readonly platforms: readonly Platform[];
  readonly cgo: boolean;
  readonly buildTags: readonly string[];
}

/** The build spec of an app from its project root and (normalised) options. */
export function appBuildSpec(
  projectRoot: string,
  options: {
    readonly main: string;
    readonly platforms: readonly Platform[];
    readonly cgo: boolean;
    readonly buildTags: readonly string[];
  },
): AppBuildSpec {
  return {
    mainDir: join(projectRoot, options.main),
    platforms: options.platforms,
    cgo: options.cgo,
    buildTags: options.buildTags,
  };
}

/** A package reader that reads each directory once (for one createNodes call or one task). */
export function memoizedPackageReader(): PackageReader {
  const cache = new Map<string, PackageDir>();
  return (dir) => {
    let pkg = cache.get(dir);
    if (pkg === undefined) {
      pkg = readPackageDir(dir);
      cache.set(dir, pkg);
    }
    return pkg;
  };
}

/** The closure of an app's main package for each of its platforms. */
export function appClosures(
  workspaceRoot: string,
  spec: AppBuildSpec,
  readPackage: PackageReader = memoizedPackageReader(),
): AppClosures {
  const mainDir = join(workspaceRoot, spec.mainDir);
  const modules = moduleContext(workspaceRoot, mainDir);
  const closures = spec.platforms.map((platform) =>
    goClosure(
      mainDir,
      modules,
      goBuildContext(platform, {
        cgo: spec.cgo,
        tags: spec.buildTags,
        ...(modules?.goVersion ? { goVersion: modules.goVersion } : {}),
      }),
      readPackage,
    ),
  );
  return { ...(modules === undefined ? {} : { modules }), closures };
}

/**
 * Every package directory and module file of an app's closures on any platform that lies in
 * the workspace, relative to it, sorted: the sources a hermetic Dockerfile's context copies.
 * (The revision comes from the exact files instead: image/revision.ts.)
 */
export function revisionPaths(workspaceRoot: string, app: AppClosures): string[] {
  const paths = new Set<string>(app.modules?.moduleFiles ?? []);
  for (const closure of app.closures) for (const dir of closure.packageDirs) paths.add(dir);
  return [...paths]
    .filter((path) => isInside(workspaceRoot, path))
    .map((path) => relative(workspaceRoot, path) || '.')
    .sort();
}
