import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { OciLayoutError } from './errors';

/**
 * Builds a directory in a fresh sibling `<dir>.tmp-<pid>-<random>` with `build`, then
 * swaps it into place: the old directory is renamed to `<dir>.old-<pid>-<random>`, the
 * new one to `dir`, and the old one removed. A failure in `build` leaves `dir` as it was.
 * Concurrent writers of one `dir` (two processes building the same project) both succeed;
 * the last to swap wins.
 * Leftovers of crashed writers (dead pids) are cleaned first; if a crash fell between
 * the two renames, the previous directory is restored.
 */
export async function replaceDirectory(
  dir: string,
  build: (tmpDir: string) => Promise<void>,
): Promise<void> {
  const tmp = await freshSibling(dir);
  try {
    await build(tmp);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  await swapIntoPlace(dir, tmp);
}

/**
 * The first half of {@link replaceDirectory}: a new empty `<dir>.tmp-<pid>-<random>` to build
 * the replacement in, once the leftovers of crashed writers are cleaned.
 */
export async function freshSibling(dir: string): Promise<string> {
  if (!isAbsolute(dir))
    throw new OciLayoutError(`layout directory "${dir}" is relative; give an absolute path`, dir);
  await mkdir(dirname(dir), { recursive: true });
  await recoverStaleSiblings(dir);
  const tmp = siblingName(dir, 'tmp');
  await mkdir(tmp);
  return tmp;
}

/** The second half of {@link replaceDirectory}: `tmp` swapped in as `dir` (removed when that fails). */
export async function swapIntoPlace(dir: string, tmp: string): Promise<void> {
  try {
    await swapIn(dir, tmp);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** How often a swap is tried again when a concurrent writer moved a directory in between. */
const SWAP_ATTEMPTS = 20;

/**
 * Moves `tmp` to `dir`, moving the previous `dir` aside first. Another process may be
 * swapping the same directory at the same time (two builds of one project): when it moves
 * `dir` away or puts its own in place between our two renames, we start over, so both
 * writers succeed and the last one wins, each leaving a complete directory.
 */
async function swapIn(dir: string, tmp: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const retry = (error: unknown, codes: readonly string[]): boolean =>
      attempt < SWAP_ATTEMPTS && codes.includes((error as NodeJS.ErrnoException).code ?? '');
    const existing = await lstat(dir).catch(() => undefined);
    if (existing === undefined) {
      try {
        await rename(tmp, dir);
        return;
      } catch (error) {
        if (retry(error, ['ENOTEMPTY', 'EEXIST'])) continue; // another writer's directory arrived first
        throw new OciLayoutError(`cannot move the new layout into ${dir}`, dir, { cause: error });
      }
    }
    if (!existing.isDirectory())
      throw new OciLayoutError(`cannot replace ${dir}: it exists and is not a directory`, dir);
    const old = siblingName(dir, 'old');
    try {
      await rename(dir, old);
    } catch (error) {
      if (retry(error, ['ENOENT'])) continue; // another writer moved it aside first
      throw new OciLayoutError(`cannot move the previous layout ${dir} aside`, dir, {
        cause: error,
      });
    }
    try {
      await rename(tmp, dir);
    } catch (error) {
      // Another writer put its complete directory in place meanwhile: ours replaces it on the next round.
      if (retry(error, ['ENOTEMPTY', 'EEXIST'])) {
        await rm(old, { recursive: true, force: true });
        continue;
      }
      await rename(old, dir).catch(() => undefined);
      throw new OciLayoutError(`cannot move the new layout into ${dir}`, dir, { cause: error });
    }
    await rm(old, { recursive: true, force: true });
    return;
  }
}

/**
 * Removes `<dir>.tmp-*` and `<dir>.old-*` siblings left by writers that are no longer
 * running; when `dir` is missing, first renames the newest such `.old-*` back to `dir`.
 */
export async function recoverStaleSiblings(dir: string): Promise<void> {
  const parent = dirname(dir);
  const pattern = new RegExp(`^${escapeRegExp(basename(dir))}\\.(tmp|old)-(\\d+)-[0-9a-f]+$`);
  const stale = (await readdir(parent))
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter(({ match }) => match !== null && !isRunning(Number(match[2])))
    .map(({ name, match }) => ({ path: join(parent, name), kind: match?.[1] }));
  const dirExists = (await lstat(dir).catch(() => undefined)) !== undefined;
  const olds = stale.filter((s) => s.kind === 'old');
  if (!dirExists && olds.length > 0) {
    // Another process may recover the same leftovers at the same time: a vanished one is skipped.
    const withTimes = await Promise.all(
      olds.map(async (o) => ({
        ...o,
        mtime: (await lstat(o.path).catch(() => undefined))?.mtimeMs ?? -1,
      })),
    );
    const newest = withTimes.filter((o) => o.mtime >= 0).sort((a, b) => b.mtime - a.mtime)[0];
    if (newest !== undefined) await rename(newest.path, dir).catch(() => undefined);
  }
  for (const s of stale) await rm(s.path, { recursive: true, force: true });
}

function siblingName(dir: string, kind: 'tmp' | 'old'): string {
  return `${dir}.${kind}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** True when a process with this id exists (EPERM means it exists but is not ours). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
