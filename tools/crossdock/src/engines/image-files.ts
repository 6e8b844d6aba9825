import { posix } from 'node:path';
import { readTar, type Image, type TarEntryWithData, type TarReadType } from '@crossdock/oci';

/** One path of an image's root filesystem as the container sees it (all layers applied). */
export interface ImageFileInfo {
  /** Relative to `/`, no leading `./` or `/`, no trailing `/` (`usr/local/bin/hello`). */
  readonly path: string;
  readonly type: TarReadType;
  /** Permission bits, including setuid/setgid/sticky (`0o755`). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Bytes of a regular file; 0 for anything else. */
  readonly size: number;
  /** Target of a symlink or hard link. */
  readonly linkTarget?: string;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** A tar entry name as an image path: `./usr/bin/` → `usr/bin`; the root itself is `''`. */
export function imagePath(name: string): string {
  const cleaned = posix.normalize(`/${name}`).replace(/^\/+/, '').replace(/\/+$/, '');
  return cleaned === '.' ? '' : cleaned;
}

/**
 * The root filesystem of an image, in memory: its layers applied bottom first with OCI
 * whiteouts (`.wh.<name>` removes a lower path and what is under it; `.wh..wh..opq` empties
 * a lower directory). A layer's whiteouts apply to the layers below it only. Each path maps
 * to the tar entry (with data) that put it there.
 */
export async function imageFileTree(image: Image): Promise<Map<string, TarEntryWithData>> {
  const tree = new Map<string, TarEntryWithData>();
  const removeUnder = (dir: string, includeSelf: boolean) => {
    for (const path of [...tree.keys()]) {
      if ((includeSelf && path === dir) || path.startsWith(dir === '' ? '' : `${dir}/`)) tree.delete(path);
    }
  };
  for (const layer of image.layers) {
    const entries = (await readTar(await layer.openUncompressed())).map((entry) => ({ entry, path: imagePath(entry.name) }));
    for (const { path } of entries) {
      const base = posix.basename(path);
      if (!base.startsWith(WHITEOUT)) continue;
      const parent = posix.dirname(path) === '.' ? '' : posix.dirname(path);
      if (base === OPAQUE) removeUnder(parent, false);
      else removeUnder(parent === '' ? base.slice(WHITEOUT.length) : `${parent}/${base.slice(WHITEOUT.length)}`, true);
    }
    for (const { entry, path } of entries) {
      if (path === '' || posix.basename(path).startsWith(WHITEOUT)) continue;
      // A non-directory replacing a directory hides what was under it.
      if (entry.type !== 'dir' && tree.get(path)?.type === 'dir') removeUnder(path, false);
      tree.set(path, entry);
    }
  }
  return tree;
}

/**
 * Every path of an image's root filesystem, sorted by path: type, mode, numeric owner, size
 * and link target. Mtimes are left out on purpose: they say when, not what.
 */
export async function describeImageFiles(image: Image): Promise<ImageFileInfo[]> {
  const tree = await imageFileTree(image);
  return [...tree.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, entry]) => ({
      path,
      type: entry.type,
      mode: entry.mode & 0o7777,
      uid: entry.uid,
      gid: entry.gid,
      size: entry.type === 'file' ? entry.size : 0,
      ...(entry.type === 'symlink' || entry.type === 'hardlink' ? { linkTarget: entry.linkname } : {}),
    }));
}

/** The bytes of a regular file of an image (a hard link is followed), or undefined when it has none at `path`. */
export async function readImageFile(image: Image, path: string): Promise<Uint8Array | undefined> {
  const tree = await imageFileTree(image);
  let entry = tree.get(imagePath(path));
  if (entry?.type === 'hardlink') entry = tree.get(imagePath(entry.linkname));
  return entry?.type === 'file' ? entry.data : undefined;
}
