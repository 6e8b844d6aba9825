import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseGoDirective, parseGoWorkUses, parseLocalReplaces, parseModulePath } from './modules';

/** A module whose packages are read from a directory (a workspace module or a local replace target). */
export interface DirectoryModule {
  readonly path: string;
  /** Absolute directory; it may lie outside the workspace (a `replace x => ../../x`). */
  readonly dir: string;
}

/** How `go build` resolves the imports of one main package, as far as files on disk are concerned. */
export interface ModuleContext {
  /** The main package's module. */
  readonly main: DirectoryModule;
  /** Every module read from a directory, longest path first (so the first prefix match wins). */
  readonly modules: readonly DirectoryModule[];
  /** The vendor directory go build reads dependencies from, when vendoring is on. */
  readonly vendorDir?: string;
  /** The go directive that bounds the toolchain from below (go.work's in workspace mode, else the module's). */
  readonly goVersion?: string;
  /**
   * Files that decide the build list: each module's go.mod and go.sum, go.work and
   * go.work.sum (also where none exists yet: creating one changes the build), vendor/modules.txt.
   */
  readonly moduleFiles: readonly string[];
}

/**
 * The module context of a main package directory (absolute): its module (nearest go.mod at
 * or above it, within the workspace), and, when a go.work at or above the module lists it,
 * every `use`d module (workspace mode); plus local `replace` targets of go.work and of the
 * modules. Reads a few small files; never runs go. Undefined outside any module.
 */
export function moduleContext(workspaceRoot: string, mainDir: string): ModuleContext | undefined {
  const root = resolve(workspaceRoot);
  const moduleDir = findUp(mainDir, root, 'go.mod');
  if (moduleDir === undefined) return undefined;
  const mainModule = readModule(moduleDir);
  if (mainModule === undefined) return undefined;

  const moduleFiles = new Set<string>();
  for (let dir = moduleDir; ; dir = dirname(dir)) {
    moduleFiles.add(join(dir, 'go.work'));
    moduleFiles.add(join(dir, 'go.work.sum'));
    if (dir === root || dirname(dir) === dir || !isInside(root, dir)) break;
  }
  const workDir = findUp(moduleDir, root, 'go.work');
  const work = workDir === undefined ? undefined : readFileSync(join(workDir, 'go.work'), 'utf8');
  const uses = work === undefined ? [] : parseGoWorkUses(work).map((use) => resolve(workDir!, use));
  const workspaceMode = uses.includes(moduleDir);

  const byPath = new Map<string, DirectoryModule>();
  const moduleDirs = workspaceMode ? uses : [moduleDir];
  for (const dir of moduleDirs) {
    const module = dir === moduleDir ? mainModule : readModule(dir);
    if (module !== undefined) byPath.set(module.path, module);
  }
  // With vendoring on (vendor/modules.txt beside the go.mod, or beside go.work in workspace
  // mode), every module that is not a main module is read from vendor/, replaced or not.
  const vendorRoot = workspaceMode ? workDir! : moduleDir;
  const vendored = existsSync(join(vendorRoot, 'vendor', 'modules.txt'));
  if (vendored) moduleFiles.add(join(vendorRoot, 'vendor', 'modules.txt'));
  // Local replacements (go.work's applied last, so they win) map module paths to
  // directories; a `use`d module is never replaced.
  const used = new Set(byPath.keys());
  const replaces = moduleDirs.flatMap((dir) =>
    parseLocalReplaces(readText(join(dir, 'go.mod'))).map((r) => ({
      path: r.path,
      dir: resolve(dir, r.target),
    })),
  );
  if (workspaceMode)
    replaces.push(
      ...parseLocalReplaces(work!).map((r) => ({ path: r.path, dir: resolve(workDir!, r.target) })),
    );
  if (!vendored) for (const r of replaces) if (!used.has(r.path)) byPath.set(r.path, r);
  for (const module of byPath.values()) {
    moduleFiles.add(join(module.dir, 'go.mod'));
    moduleFiles.add(join(module.dir, 'go.sum'));
  }

  const goVersion = parseGoDirective(workspaceMode ? work! : readText(join(moduleDir, 'go.mod')));
  return {
    main: mainModule,
    modules: [...byPath.values()].sort(
      (a, b) => b.path.length - a.path.length || (a.path < b.path ? -1 : 1),
    ),
    ...(vendored ? { vendorDir: join(vendorRoot, 'vendor') } : {}),
    ...(goVersion === undefined ? {} : { goVersion }),
    moduleFiles: [...moduleFiles].sort(),
  };
}

/** Whether `path` is `dir` or below it. */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function findUp(from: string, root: string, name: string): string | undefined {
  for (let dir = resolve(from); isInside(root, dir); dir = dirname(dir)) {
    if (existsSync(join(dir, name))) return dir;
    if (dir === root) break;
  }
  return undefined;
}

function readModule(dir: string): DirectoryModule | undefined {
  const path = parseModulePath(readText(join(dir, 'go.mod')));
  return path === undefined ? undefined : { path, dir };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
