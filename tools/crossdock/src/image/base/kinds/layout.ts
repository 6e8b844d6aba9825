import { isAbsolute, join, posix } from 'node:path';
import type { BaseKind } from '../base-kind';

/** The prefix of a base that is a local OCI image layout: `oci:<path>`. */
export const LAYOUT_PREFIX = 'oci:';

/** The directory of an `oci:<path>` base: absolute as given, or relative to the workspace root. */
export function layoutBaseDir(reference: string, workspaceRoot: string): string {
  const path = reference.slice(LAYOUT_PREFIX.length);
  return isAbsolute(path) ? path : join(workspaceRoot, path);
}

/**
 * `oci:<path>`: an OCI image layout on disk. Its index.json changes with it: a workspace
 * file Nx hashes when the layout is inside the workspace, else its digest (runtime input).
 */
export const layoutKind: BaseKind = {
  name: 'layout',
  matches: (reference) => reference.startsWith(LAYOUT_PREFIX),
  cacheInput(reference) {
    const path = reference.slice(LAYOUT_PREFIX.length);
    return !isAbsolute(path) && !posix.normalize(path).startsWith('..')
      ? { kind: 'workspace-file', path: posix.join(path, 'index.json') }
      : { kind: 'current-digest' };
  },
  provenanceUri: (name) => name,
  mountSource: () => undefined,
  resolve: async (reference, platforms, context) =>
    (await import('../layout-base')).resolveLayoutBase(reference, platforms, context),
  currentDigest: async (reference, context) =>
    (await import('./layout-digest')).layoutDigest(layoutBaseDir(reference, context.workspaceRoot)),
};
