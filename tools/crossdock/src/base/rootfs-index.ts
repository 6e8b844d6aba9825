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
const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/**
 * Indexes the entries of an image's layers, bottom layer first, the way an overlay
 * filesystem stacks them: a layer's whiteouts (`.wh.<name>`) and opaque markers
 * (`.wh..wh..opq`) hide what the layers below it hold, then its own entries are added;
 * a non-directory replaces a directory and everything under it. Pure.
 */
export function indexRootfs(layers: readonly (readonly RootfsTarEntry[])[]): RootfsIndex {
  const nodes = new Map<string, Node>();
  const removeTree = (path: string, keepSelf: boolean) => {
    if (path === '') return nodes.clear();
    if (!keepSelf) nodes.delete(path);
    const prefix = `${path}/`;
    for (const key of [...nodes.keys()]) if (key.startsWith(prefix)) nodes.delete(key);
  };
  for (const entries of layers) {
    const added: [string, Node][] = [];
    for (const entry of entries) {
      const path = cleanPath(entry.name);
      if (path === '') continue;
      const base = posix.basename(path);
      const dir = posix.dirname(path) === '.' ? '' : posix.dirname(path);
      if (base === OPAQUE) removeTree(dir, true);
      else if (base.startsWith(WHITEOUT)) removeTree(joinPath(dir, base.slice(WHITEOUT.length)), false);
      else added.push([path, { type: entry.type, linkname: entry.linkname }]);
    }
    for (const [path, node] of added) {
      if (node.type !== 'dir') removeTree(path, true);
      nodes.set(path, node);
    }
  }
  const impliedDirs = new Set<string>();
  for (const path of nodes.keys()) {
    for (let dir = posix.dirname(path); dir !== '.' && !impliedDirs.has(dir); dir = posix.dirname(dir)) impliedDirs.add(dir);
  }
  const lookup = (path: string): Node | undefined => nodes.get(path) ?? (impliedDirs.has(path) ? { type: 'dir', linkname: '' } : undefined);
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

/** A tar entry name as a path relative to `/`: no leading `./` or `/`, no trailing `/`. */
function cleanPath(name: string): string {
  const normal = posix.normalize(`/${name}`);
  return normal === '/' ? '' : normal.replace(/^\/+/, '').replace(/\/+$/, '');
}

function splitPath(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.');
}

function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}
