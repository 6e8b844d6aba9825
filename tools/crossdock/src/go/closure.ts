import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { evaluate, fileNameMatches, type Constraint, type TagOracle } from './build-constraints';
import { tagOracle, type GoBuildContext } from './build-context';
import type { ModuleContext } from './module-context';
import type { PackageDir } from './package-dir';

/** Reads a package directory (absolute); callers memoise it across apps and platforms. */
export type PackageReader = (dir: string) => PackageDir;

/** Everything `go build` reads from disk for one main package and one platform (absolute paths). */
export interface GoClosure {
  /** Every package directory compiled in, sorted. */
  readonly packageDirs: readonly string[];
  /** Go files selected for the platform, assembly/C/object files, headers, module files; sorted. */
  readonly files: readonly string[];
  /** Globs of embedded files and cgo directories, each relative to its package directory; sorted. */
  readonly globs: readonly DirectoryGlob[];
}

/** A glob (Go's path.Match syntax, plus a trailing `/**` for everything below) under a directory. */
export interface DirectoryGlob {
  readonly dir: string;
  readonly pattern: string;
}

/**
 * The closure of a main package for one build context: starting at `mainDir`, each package
 * directory contributes the files go build compiles for that GOOS/GOARCH (file-name and
 * `//go:build` constraints, cgo files only with cgo), its `//go:embed` patterns and
 * `#cgo ${SRCDIR}` directories, and the packages its selected files import that resolve to
 * a directory: a module of the context or vendor/. The standard library and modules from
 * the module cache are not files of the workspace: `go version` and go.sum stand for them.
 */
export function goClosure(
  mainDir: string,
  modules: ModuleContext | undefined,
  build: GoBuildContext,
  readPackage: PackageReader,
): GoClosure {
  const tags = tagOracle(build);
  const files = new Set<string>(modules?.moduleFiles ?? []);
  const globs = new Map<string, DirectoryGlob>();
  const addGlob = (dir: string, pattern: string): void => {
    globs.set(`${dir}\0${pattern}`, { dir, pattern });
  };
  const seen = new Set<string>([mainDir]);
  const queue = [mainDir];
  while (queue.length > 0) {
    const dir = queue.shift()!;
    const pkg = readPackage(dir);
    const selected = pkg.goFiles.filter(
      (f) => builds(f.name, f.info.constraint, tags) && (!f.info.cgo || build.cgo),
    );
    // A package whose every file is excluded fails to build; its files are still what go read.
    const compiled = selected.length > 0 ? selected : pkg.goFiles;
    for (const file of compiled) {
      files.add(join(dir, file.name));
      for (const pattern of file.info.embedPatterns) {
        // A pattern names files or directories (whose every file is embedded).
        const bare = pattern.replace(/^all:/, '');
        addGlob(dir, bare);
        addGlob(dir, `${bare}/**`);
      }
      if (build.cgo && file.info.cgo)
        for (const sub of file.info.cgoSourceDirs) addGlob(join(dir, sub), '**');
      for (const importPath of file.info.imports) {
        const target = modules === undefined ? undefined : resolveImport(importPath, modules);
        if (target !== undefined && !seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    for (const other of pkg.otherFiles) {
      if (other.kind === 'c' && !build.cgo) continue;
      if (other.kind === 'header' || builds(other.name, other.constraint, tags))
        files.add(join(dir, other.name));
    }
  }
  const sortedGlobs = [...globs.keys()].sort().map((key) => globs.get(key)!);
  return { packageDirs: [...seen].sort(), files: [...files].sort(), globs: sortedGlobs };
}

function builds(name: string, constraint: Constraint | undefined, tags: TagOracle): boolean {
  return (
    fileNameMatches(name, tags) &&
    (constraint === undefined || evaluate(constraint, tags) !== false)
  );
}

/**
 * The directory of an imported package: in the module with the longest matching path (unless
 * the directory lies in a nested module of its own, which is then not part of it), else in
 * vendor/. Undefined for the standard library and modules from the module cache.
 */
export function resolveImport(importPath: string, modules: ModuleContext): string | undefined {
  for (const module of modules.modules) {
    if (importPath !== module.path && !importPath.startsWith(`${module.path}/`)) continue;
    const dir = join(module.dir, importPath.slice(module.path.length));
    return inNestedModule(module.dir, dir) ? undefined : dir;
  }
  if (modules.vendorDir !== undefined) {
    const dir = join(modules.vendorDir, importPath);
    if (existsSync(dir)) return dir;
  }
  return undefined;
}

function inNestedModule(moduleDir: string, dir: string): boolean {
  for (
    let current = dir;
    current !== moduleDir && current.startsWith(moduleDir);
    current = dirname(current)
  ) {
    if (existsSync(join(current, 'go.mod'))) return true;
  }
  return false;
}
