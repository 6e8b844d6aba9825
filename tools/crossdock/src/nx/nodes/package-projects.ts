import { join, relative } from 'node:path';
import type { ProjectConfiguration } from '@nx/devkit';
import type { AppClosures } from '../../go/app-closures';
import type { PackageReader } from '../../go/closure';
import { isInside } from '../../go/module-context';
import { GO_TAG } from './project-tags';

/** A project crossdock infers for a Go package that no project owns. */
export interface PackageProject {
  readonly root: string;
  /** The file the project is reported under: the package's first Go file. */
  readonly file: string;
  readonly project: Omit<ProjectConfiguration, 'root'> & { name: string };
}

/**
 * A library project for every package directory of an app's closure that lies in the
 * workspace, outside vendor/ and not owned by a project (`owned`): such a package (an `internal/`
 * or `pkg/` directory without a project.json) then shows in `nx graph` with the import edges
 * to it, and `nx affected` reaches the apps through them. Named by the package's import path.
 */
export function packageProjects(
  workspaceRoot: string,
  apps: readonly { readonly name: string; readonly closures: AppClosures }[],
  owned: (root: string) => boolean,
  readPackage: PackageReader,
): PackageProject[] {
  const found = new Map<string, { importPath: string; importers: Set<string> }>();
  for (const app of apps) {
    const modules = app.closures.modules;
    if (modules === undefined) continue;
    for (const closure of app.closures.closures) {
      for (const dir of closure.packageDirs) {
        if (
          !isInside(workspaceRoot, dir) ||
          (modules.vendorDir !== undefined && isInside(modules.vendorDir, dir))
        )
          continue;
        const root = relative(workspaceRoot, dir);
        if (root === '' || owned(root) || readPackage(dir).goFiles.length === 0) continue;
        const module = modules.modules.find((m) => isInside(m.dir, dir));
        if (module === undefined) continue;
        const rel = relative(module.dir, dir);
        const entry = found.get(root) ?? {
          importPath: rel === '' ? module.path : `${module.path}/${rel}`,
          importers: new Set<string>(),
        };
        entry.importers.add(app.name);
        found.set(root, entry);
      }
    }
  }
  return [...found]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([root, { importPath, importers }]) => ({
      root,
      file: `${root}/${readPackage(join(workspaceRoot, root)).goFiles[0].name}`,
      project: {
        name: importPath,
        projectType: 'library',
        tags: [GO_TAG],
        targets: {},
        metadata: {
          technologies: ['go'],
          description: `Go package ${importPath}, inferred by crossdock: compiled into ${[...importers].sort().join(', ')}`,
        },
      },
    }));
}
