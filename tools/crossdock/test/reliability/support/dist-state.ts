import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { validateLayout } from '@crossdock/oci-layout';

/** Names of half-written files and directories crossdock's writers use before their final rename. */
const LEFTOVER = [/\.partial-\d+$/, /\.(tmp|old)-\d+-[0-9a-f]+$/, /\.tmp-\d+$/];

/** Paths (relative to `root`) under `root`/dist that are half-written: *.partial-<pid>, <dir>.tmp-/.old- siblings. */
export function distLeftovers(root: string): string[] {
  const dist = join(root, 'dist');
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (LEFTOVER.some((pattern) => pattern.test(entry.name))) found.push(relative(root, path));
      else if (entry.isDirectory()) walk(path);
    }
  };
  if (existsSync(dist)) walk(dist);
  return found.sort();
}

/** What an image layout directory holds: nothing, a valid layout (its index digest), or a broken one. */
export type LayoutState =
  | { readonly kind: 'absent'; readonly oldSiblings: readonly string[] }
  | { readonly kind: 'valid'; readonly digest: string }
  | { readonly kind: 'invalid'; readonly problem: string };

/** Validates `dir` in full with @crossdock/oci's validateLayout (blobs, digests, diff_ids, platforms). */
export async function layoutState(dir: string): Promise<LayoutState> {
  if (!existsSync(dir)) {
    const prefix = `${basename(dir)}.old-`;
    const oldSiblings = existsSync(dirname(dir))
      ? readdirSync(dirname(dir)).filter((name) => name.startsWith(prefix))
      : [];
    return { kind: 'absent', oldSiblings };
  }
  try {
    const report = await validateLayout(dir);
    const digest = report.indexes[0];
    return digest === undefined
      ? { kind: 'invalid', problem: 'index.json names no image index' }
      : { kind: 'valid', digest };
  } catch (error) {
    return { kind: 'invalid', problem: (error as Error).message };
  }
}

/** A short description of a layout state, for assertion messages. */
export function describeLayout(state: LayoutState): string {
  if (state.kind === 'valid') return `valid ${state.digest}`;
  if (state.kind === 'absent')
    return `absent${state.oldSiblings.length > 0 ? ` (previous layout aside: ${state.oldSiblings.join(', ')})` : ''}`;
  return `INVALID: ${state.problem}`;
}
