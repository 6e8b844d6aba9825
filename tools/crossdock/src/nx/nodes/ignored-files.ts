import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { globMatches } from '../../go/glob-match';
import type { GoClosure } from '../../go/closure';
import { isInside } from '../../go/module-context';
import { processRunner } from '../../support/process/runner';

/**
 * The files of the closures that git or .nxignore ignore (generated code, an embedded web build), as
 * workspace-relative paths. Nx hashes only the files of its file map, which leaves ignored
 * files out, so these get a runtime input of their own. One `git check-ignore` for all
 * files of one createNodes call, run asynchronously so Nx's other plugins go on meanwhile;
 * outside a git repository nothing is ignored.
 */
export async function ignoredClosureFiles(
  workspaceRoot: string,
  closures: readonly GoClosure[],
): Promise<Set<string>> {
  const candidates = new Set<string>();
  for (const closure of closures) {
    for (const file of closure.files)
      if (isInside(workspaceRoot, file)) candidates.add(relative(workspaceRoot, file));
    for (const { dir, pattern } of closure.globs) {
      if (!isInside(workspaceRoot, dir)) continue;
      for (const file of filesUnder(dir))
        if (globMatches(pattern, relative(dir, file)))
          candidates.add(relative(workspaceRoot, file));
    }
  }
  if (candidates.size === 0) return new Set();
  // Nx also leaves out what .nxignore names: git reads it as the excludes file.
  const nxignore = join(workspaceRoot, '.nxignore');
  const config = existsSync(nxignore) ? ['-c', `core.excludesFile=${nxignore}`] : [];
  // Exit 1: none is ignored; 128: not a git repository (then Nx hashes every file anyway);
  // no git at all: nothing is ignored either.
  const stdout = await processRunner
    .run('git', [...config, 'check-ignore', '--stdin', '-z'], {
      cwd: workspaceRoot,
      input: [...candidates].join('\0'),
      allowFailure: true,
    })
    .then((run) => run.stdout)
    .catch(() => '');
  return new Set(stdout.split('\0').filter(Boolean));
}

function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    try {
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    } catch {
      return [];
    }
  });
}
