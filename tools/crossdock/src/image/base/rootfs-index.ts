import { flattenLayers } from '@crossdock/oci-layout';
import { posix } from 'node:path';

/** What the rootfs index needs of one tar entry (a subset of @crossdock/oci's TarEntry). */
export interface RootfsTarEntry {
  readonly name: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';
  readonly linkname: string;
}

/** The paths of an image's root filesystem, built from its layers' tar entries. */
export interface RootfsIndex {
  /** Whether `path` (absolute) exists, following symlinks (also of the last component). */
  has(path: string): boolean;
  /** How many paths the index holds (entries and implied parent directories). */
  readonly size: number;
}

interface Node {
  readonly type: RootfsTarEntry['type'];
  readonly linkname: string;
}

// Linux gives up after 40 symlinks in one lookup (ELOOP); so do we.
const MAX_SYMLINKS = 40;

/**
 * Indexes the entries of an image's layers as a container sees them (flattenLayers:
 * bottom first, whiteouts and opaque markers honoured), with implied parent directories. Pure.
 */
export function indexRootfs(layers: readonly (readonly RootfsTarEntry[])[]): RootfsIndex {
  const nodes: ReadonlyMap<string, Node> = flattenLayers(layers);
  const impliedDirs = new Set<string>();
  for (const path of nodes.keys()) {
    for (
      let dir = posix.dirname(path);
      dir !== '.' && !impliedDirs.has(dir);
      dir = posix.dirname(dir)
    )
      impliedDirs.add(dir);
  }
  const lookup = (path: string): Node | undefined =>
    nodes.get(path) ?? (impliedDirs.has(path) ? { type: 'dir', linkname: '' } : undefined);
  return {
    size: new Set([...nodes.keys(), ...impliedDirs]).size,
    has: (path) => resolves(lookup, path),
  };
}

/** Walks `path` component by component from `/`, restarting at each symlink's target. */
function resolves(lookup: (path: string) => Node | undefined, path: string): boolean {
  let pending = splitPath(path);
  let current: string[] = [];
  let symlinks = 0;
  while (pending.length > 0) {
    const [part, ...rest] = pending;
    pending = rest;
    if (part === '..') {
      current = current.slice(0, -1);
      continue;
    }
    const next = [...current, part!];
    const node = lookup(next.join('/'));
    if (node === undefined) return false;
    if (node.type === 'symlink') {
      if (++symlinks > MAX_SYMLINKS) return false;
      const target = splitPath(node.linkname);
      if (node.linkname.startsWith('/')) current = [];
      pending = [...target, ...pending];
      continue;
    }
    if (pending.length > 0 && node.type !== 'dir') return false;
    current = next;
  }
  return true;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.');
}
