import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import type { CreateDependencies, DependencyType, RawProjectGraphDependency } from '@nx/devkit';
import { findGoModules, type GoModule } from '../../go/modules';
import { parseGoImports } from '../../go/imports';

/** Nx's DependencyType.static, without loading @nx/devkit (about 25 ms of every nx command). */
const STATIC = 'static' as DependencyType.static;

/**
 * Adds a static edge from a project to every workspace project whose Go package it
 * imports. Only the changed files Nx hands over are read (filesToProcess), and only
 * non-test .go files count: an import used only by tests does not make an image
 * depend on a library.
 *
 * Every edge names its source file, which is what keeps it across runs: Nx stores the
 * edges per file in its file map (.nx/workspace-data/file-map.json, or the daemon's memory)
 * and restores them for every file whose hash did not change, so editing an unrelated file
 * never drops an edge, and re-reading a changed file replaces that file's edges (a removed
 * import removes its edge). See docs/caching.md.
 */
export const createDependencies: CreateDependencies = (_options, context) => {
  const goModFiles = [
    ...context.fileMap.nonProjectFiles,
    ...Object.values(context.fileMap.projectFileMap).flat(),
  ]
    .map((f) => f.file)
    .filter((file) => file === 'go.mod' || file.endsWith('/go.mod'));
  const modules = findGoModules(context.workspaceRoot, goModFiles);
  if (modules.length === 0) return [];
  const rootToProject = new Map<string, string>();
  for (const [name, project] of Object.entries(context.projects)) {
    // The workspace root project (root package.json) owns no Go package of its own.
    if (project.root !== '.' && project.root !== '')
      rootToProject.set(posix.normalize(project.root), name);
  }

  const dependencies: RawProjectGraphDependency[] = [];
  for (const [source, files] of Object.entries(context.filesToProcess.projectFileMap)) {
    for (const { file } of files) {
      if (!isBuildSource(file)) continue;
      const seen = new Set<string>();
      for (const importPath of parseGoImports(
        readFileSync(join(context.workspaceRoot, file), 'utf8'),
      )) {
        const target = projectOfImport(importPath, modules, rootToProject);
        if (target && target !== source && !seen.has(target)) {
          seen.add(target);
          dependencies.push({ source, target, sourceFile: file, type: STATIC });
        }
      }
    }
  }
  return dependencies;
};

/**
 * Whether a file is compiled into its package by `go build`: a .go file that is not a test,
 * not named `_*` or `.*` (the go tool ignores those) and not under a testdata directory.
 */
export function isBuildSource(file: string): boolean {
  const segments = file.split('/');
  const name = segments[segments.length - 1];
  if (
    !name.endsWith('.go') ||
    name.endsWith('_test.go') ||
    name.startsWith('_') ||
    name.startsWith('.')
  )
    return false;
  return !segments.slice(0, -1).includes('testdata');
}

/** The project that owns an import path: the deepest project root containing the package directory. */
export function projectOfImport(
  importPath: string,
  modules: readonly GoModule[],
  rootToProject: ReadonlyMap<string, string>,
): string | undefined {
  const module = modules.find((m) => importPath === m.path || importPath.startsWith(`${m.path}/`));
  if (!module) return undefined;
  let dir = posix.normalize(posix.join(module.dir, importPath.slice(module.path.length)));
  for (;;) {
    const project = rootToProject.get(dir);
    if (project) return project;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
