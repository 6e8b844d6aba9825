import { lstat, mkdir, readlink } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { RootfsError } from './errors';

/** Options of {@link resolveInRoot}. */
export interface ResolveInRootOptions {
  /** Follow a symlink in the last component too (default false: the link itself is meant). */
  readonly followLast?: boolean;
  /** Create missing intermediate directories (mode 0755). */
  readonly createParents?: boolean;
}

const MAX_SYMLINK_HOPS = 255;

/**
 * The path on disk of `relPath` inside the root filesystem at `root`, resolving symlinks
 * as if `root` were `/`: absolute link targets restart at `root` and `..` stops at it,
 * so the result never leaves `root` (containerd's RootPath, securejoin). `root` must be
 * absolute and free of symlinks itself.
 */
export async function resolveInRoot(
  root: string,
  relPath: string,
  options: ResolveInRootOptions = {},
): Promise<string> {
  let current = root;
  const pending = split(relPath);
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift() ?? '';
    if (part === '..') {
      current = current === root ? root : dirname(current);
      continue;
    }
    const next = join(current, part);
    const isLast = pending.length === 0;
    const stat = await lstat(next).catch(() => undefined);
    if (stat?.isSymbolicLink() === true && (!isLast || options.followLast === true)) {
      if (++hops > MAX_SYMLINK_HOPS)
        throw new RootfsError(`too many levels of symlinks resolving "${relPath}"`, relPath);
      const target = await readlink(next);
      if (isAbsolute(target)) current = root;
      pending.unshift(...split(target));
      continue;
    }
    if (!isLast) {
      if (stat === undefined) {
        if (options.createParents !== true)
          throw new RootfsError(`"${relPath}": ${next} does not exist`, relPath);
        await mkdir(next, { mode: 0o755 });
      } else if (!stat.isDirectory()) {
        throw new RootfsError(`"${relPath}": ${next} is not a directory`, relPath);
      }
    }
    current = next;
  }
  return current;
}

function split(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}
