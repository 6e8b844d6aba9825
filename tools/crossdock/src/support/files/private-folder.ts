import { lstat, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * This user's folder in `root` (`<uid>`, made 0700), or undefined when it cannot be made or
 * is not a directory of this user's that only they may write to: a cache that others could
 * write to is never read (a shared cache root may be writable by every user).
 */
export async function privateFolder(root: string): Promise<string | undefined> {
  const uid = process.getuid?.();
  const dir = join(root, uid === undefined ? 'user' : String(uid));
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const found = await lstat(dir);
    const own = uid === undefined || found.uid === uid;
    return found.isDirectory() && own && (found.mode & 0o022) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** How much of a cache folder {@link pruneOldest} keeps: the files used last, up to both bounds. */
export interface KeptFiles {
  /** Only the files whose name matches are counted and removed (never a writer's temporary file). */
  readonly names: RegExp;
  readonly count?: number;
  readonly bytes?: number;
}

/** Removes the files of `dir` used longest ago (by modification time) beyond what `keep` allows. */
export async function pruneOldest(dir: string, keep: KeptFiles): Promise<void> {
  const names = (await readdir(dir)).filter((name) => keep.names.test(name));
  if (keep.bytes === undefined && names.length <= (keep.count ?? Infinity)) return;
  const files = await Promise.all(
    names.map(async (name) => {
      const found = await stat(join(dir, name)).catch(() => undefined);
      return { path: join(dir, name), at: found?.mtimeMs ?? 0, size: found?.size ?? 0 };
    }),
  );
  files.sort((a, b) => b.at - a.at);
  let bytes = 0;
  const removed = files.filter((file, i) => {
    bytes += file.size;
    return i >= (keep.count ?? Infinity) || bytes > (keep.bytes ?? Infinity);
  });
  await Promise.all(removed.map(({ path }) => rm(path, { force: true })));
}
