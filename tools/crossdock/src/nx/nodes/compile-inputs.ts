import { relative } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import type { GoClosure } from '../../go/closure';
import { globMatches } from '../../go/glob-match';
import { isInside } from '../../go/module-context';
import { shellWord } from '../../support/process/shell-word';

type Inputs = NonNullable<TargetConfiguration['inputs']>;

/**
 * Environment variables go build reads that change a binary and that the compile passes
 * through (see GO_PASSTHROUGH_ENV); everything else it sets explicitly or drops.
 */
export const GO_ENV_INPUTS = ['GOFLAGS', 'GOEXPERIMENT'] as const;

/**
 * The inputs of one compile--<platform> target: exactly the files its closure reads, as
 * `{workspaceRoot}/…` paths, so Nx hashes them and `nx affected` maps a change of any of
 * them to the app (Nx treats every `{workspaceRoot}` input as touching the project that
 * declares it), whether or not the file belongs to an Nx project; embed globs; a content
 * hash of any directory outside the workspace (a local replace) and of the files git ignores
 * (Nx's file map leaves them out); the toolchain and env; and no
 * npm package. Nx adds nx.json, .gitignore and the project's configuration on its own.
 */
export function compileInputs(
  workspaceRoot: string,
  closure: GoClosure,
  ignored: ReadonlySet<string> = new Set(),
): Inputs {
  const inputs: Inputs = [];
  const outside = new Set<string>();
  const unhashed = new Set<string>();
  for (const file of closure.files) {
    if (!isInside(workspaceRoot, file)) outside.add(file);
    else if (ignored.has(relative(workspaceRoot, file)))
      unhashed.add(relative(workspaceRoot, file));
    else inputs.push(`{workspaceRoot}/${escapeGlob(relative(workspaceRoot, file))}`);
  }
  for (const { dir, pattern } of closure.globs) {
    if (!isInside(workspaceRoot, dir)) continue; // hashed with its package directory below
    const base = escapeGlob(relative(workspaceRoot, dir));
    inputs.push(`{workspaceRoot}/${base === '' ? '' : `${base}/`}${pattern}`);
    // Embedded files git ignores are not in Nx's file map: hash them by content.
    const prefix = base === '' ? '' : `${relative(workspaceRoot, dir)}/`;
    for (const file of ignored)
      if (file.startsWith(prefix) && globMatches(pattern, file.slice(prefix.length)))
        unhashed.add(file);
  }
  if (unhashed.size > 0) inputs.push({ runtime: filesHashCommand([...unhashed].sort()) });
  for (const dir of closure.packageDirs) if (!isInside(workspaceRoot, dir)) outside.add(dir);
  for (const path of [...outside].sort())
    inputs.push({ runtime: treeHashCommand(relative(workspaceRoot, path)) });
  inputs.push({ runtime: 'go version' });
  for (const name of GO_ENV_INPUTS) inputs.push({ env: name });
  // No npm package changes a Go binary: without this, Nx hashes every external dependency
  // (package-lock.json), and a dependency bump would recompile every platform.
  inputs.push({ externalDependencies: [] });
  return inputs;
}

/** Escapes the characters Nx's globs treat specially, so a file path matches only itself. */
export function escapeGlob(path: string): string {
  return path.replace(/[*?[\]{}()!\\]/g, '\\$&');
}

/** A shell command printing the sha256 of each file (workspace-relative, so every clone runs the same command). */
function filesHashCommand(files: readonly string[]): string {
  return `sha256sum -- ${files.map(shellWord).join(' ')} 2>&1`;
}

/**
 * A shell command printing a hash of every file at or below a path (contents and names), for
 * inputs Nx cannot hash. The path is relative to the workspace root (where Nx runs runtime
 * inputs), so two checkouts with the directory beside them run the same command and print
 * the same names.
 */
function treeHashCommand(path: string): string {
  return `find ${shellWord(path)} -type f -not -path '*/.git/*' -print0 2>/dev/null | LC_ALL=C sort -z | xargs -0 -r sha256sum | sha256sum`;
}
