import { imageFileTree, layerPath } from '@crossdock/oci-layout';
import type { Image, TarReadType } from '@crossdock/oci';

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

/** A tar entry name as an image path: `./usr/bin/` → `usr/bin`; the root itself is `''`. */
export const imagePath = layerPath;

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
      ...(entry.type === 'symlink' || entry.type === 'hardlink'
        ? { linkTarget: entry.linkname }
        : {}),
    }));
}
