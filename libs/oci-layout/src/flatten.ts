import { posix } from 'node:path';

/** What flattening needs of a layer entry: its tar name and whether it is a directory. */
export interface FlattenEntry {
  readonly name: string;
  readonly type: string;
}

/** What an OCI whiteout entry does to the layers below it. */
export type Whiteout =
  /** `<dir>/.wh..wh..opq`: empties `dir` (it stays). */
  | { readonly kind: 'opaque'; readonly dir: string }
  /** `<dir>/.wh.<name>`: removes `dir/name` and what is under it (`name` may be empty in a malformed layer). */
  | { readonly kind: 'remove'; readonly dir: string; readonly name: string };

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** A tar entry name as a path relative to `/`: `./usr/bin/` → `usr/bin`; the root itself is `''`. */
export function layerPath(name: string): string {
  const normal = posix.normalize(`/${name}`);
  return normal === '/' ? '' : normal.replace(/^\/+/, '').replace(/\/+$/, '');
}

/** The whiteout a (cleaned) path stands for, or undefined when it is an ordinary entry. */
export function whiteoutOf(path: string): Whiteout | undefined {
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '' : path.slice(0, slash);
  const base = slash < 0 ? path : path.slice(slash + 1);
  if (base === OPAQUE) return { kind: 'opaque', dir };
  if (base.startsWith(WHITEOUT)) return { kind: 'remove', dir, name: base.slice(WHITEOUT.length) };
  return undefined;
}

/**
 * The root filesystem an image's layers give, in memory: layers applied bottom first, the
 * way an overlay filesystem stacks them. A layer's whiteouts hide what the layers below it
 * hold (never its own entries), then its entries are added; a non-directory replacing a
 * directory hides everything under it. Each path (see layerPath) maps to the entry that put
 * it there. Pure: the one definition of layer semantics for lookups and extraction.
 */
export function flattenLayers<T extends FlattenEntry>(
  layers: Iterable<readonly T[]>,
): Map<string, T> {
  const tree = new Map<string, T>();
  const removeUnder = (dir: string) => {
    if (dir === '') return tree.clear();
    const prefix = `${dir}/`;
    for (const key of [...tree.keys()]) if (key.startsWith(prefix)) tree.delete(key);
  };
  for (const entries of layers) {
    const added: [string, T][] = [];
    for (const entry of entries) {
      const path = layerPath(entry.name);
      if (path === '') continue;
      const whiteout = whiteoutOf(path);
      if (whiteout === undefined) added.push([path, entry]);
      else if (whiteout.kind === 'opaque') removeUnder(whiteout.dir);
      else {
        const target = whiteout.dir === '' ? whiteout.name : `${whiteout.dir}/${whiteout.name}`;
        tree.delete(target);
        removeUnder(target);
      }
    }
    for (const [path, entry] of added) {
      if (entry.type !== 'dir') removeUnder(path);
      tree.set(path, entry);
    }
  }
  return tree;
}
