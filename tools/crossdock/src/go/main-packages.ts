import { readdirSync, type Dirent } from 'node:fs';
import { join, relative } from 'node:path';
import type { PackageReader } from './closure';
import { isMainPackage } from './main-package-platforms';

/** Directories a module walk never enters: go ignores them (testdata, `_x`, `.x`, vendor), or they hold no Go of the module. */
const SKIPPED = new Set(['testdata', 'vendor', 'node_modules', 'dist']);

/**
 * The directories (absolute) of every main package (see isMainPackage) of the module rooted at `moduleDir`,
 * sorted: the walk does not enter nested modules (a directory with its own go.mod) or the
 * directories go ignores. Reads each directory once through `readPackage`.
 */
export function mainPackageDirs(moduleDir: string, readPackage: PackageReader): string[] {
  const found: string[] = [];
  const visit = (dir: string): void => {
    const pkg = readPackage(dir);
    if (dir !== moduleDir && pkg.isModuleRoot) return;
    if (isMainPackage(pkg)) found.push(dir);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (
        entry.isDirectory() &&
        !SKIPPED.has(entry.name) &&
        !entry.name.startsWith('.') &&
        !entry.name.startsWith('_')
      )
        visit(join(dir, entry.name));
    }
  };
  visit(moduleDir);
  return found.sort();
}

/**
 * The project name of an inferred main package: its directory's name (`cmd/api` → `api`), or
 * for the module root the module path's last element without a major-version suffix
 * (`example.com/shop/v2` → `shop`).
 */
export function mainPackageName(
  workspaceRoot: string,
  moduleDir: string,
  modulePath: string,
  dir: string,
): string {
  if (dir === moduleDir) {
    const elements = modulePath.split('/');
    const last = elements.pop()!;
    return /^v\d+$/.test(last) && elements.length > 0 ? elements.pop()! : last;
  }
  return relative(workspaceRoot, dir).split('/').pop()!;
}
