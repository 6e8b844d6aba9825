import type { Tree } from '@nx/devkit';

/**
 * What init keeps out of git: crossdock's outputs and Nx's local cache and workspace data
 * (Nx 19+ keep both under .nx/). Each entry with the spellings that already cover it.
 */
const IGNORED: readonly { readonly entry: string; readonly covered: readonly string[] }[] = [
  { entry: 'dist/', covered: ['dist', 'dist/', '/dist', '/dist/'] },
  { entry: '.nx/cache', covered: ['.nx', '.nx/', '/.nx', '/.nx/', '.nx/cache', '/.nx/cache'] },
  {
    entry: '.nx/workspace-data',
    covered: ['.nx', '.nx/', '/.nx', '/.nx/', '.nx/workspace-data', '/.nx/workspace-data'],
  },
];

/**
 * Adds to .gitignore (creating it) each of dist/, .nx/cache and .nx/workspace-data that no
 * line covers yet, and returns the entries it added (none: the file is left untouched).
 */
export function addGitignoreEntries(tree: Tree): string[] {
  const current = tree.exists('.gitignore') ? (tree.read('.gitignore', 'utf8') ?? '') : '';
  const lines = new Set(current.split('\n').map((line) => line.trim()));
  const missing = IGNORED.filter(({ covered }) => !covered.some((c) => lines.has(c))).map(
    ({ entry }) => entry,
  );
  if (missing.length > 0) {
    const separator = current === '' || current.endsWith('\n') ? '' : '\n';
    tree.write('.gitignore', `${current}${separator}${missing.join('\n')}\n`);
  }
  return missing;
}
