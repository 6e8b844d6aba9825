import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { OciLayoutError } from './errors';

/**
 * Builds a directory in a fresh sibling `<dir>.tmp-<pid>-<random>` with `build`, then
 * swaps it into place: the old directory is renamed to `<dir>.old-<pid>-<random>`, the
 * new one to `dir`, and the old one removed. A failure in `build` leaves `dir` as it was.
 * Leftovers of crashed writers (dead pids) are cleaned first; if a crash fell between
 * the two renames, the previous directory is restored.
 */
export async function replaceDirectory(dir: string, build: (tmpDir: string) => Promise<void>): Promise<void> {
  if (!isAbsolute(dir)) throw new OciLayoutError(`layout directory "${dir}" is relative; give an absolute path`, dir);
  await mkdir(dirname(dir), { recursive: true });
  await recoverStaleSiblings(dir);
  const tmp = siblingName(dir, 'tmp');
  await mkdir(tmp);
  try {
    await build(tmp);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  const existing = await lstat(dir).catch(() => undefined);
  if (existing === undefined) {
    await rename(tmp, dir);
    return;
  }
  if (!existing.isDirectory()) {
    await rm(tmp, { recursive: true, force: true });
    throw new OciLayoutError(`cannot replace ${dir}: it exists and is not a directory`, dir);
  }
  const old = siblingName(dir, 'old');
  await rename(dir, old);
  try {
    await rename(tmp, dir);
  } catch (error) {
    await rename(old, dir);
    await rm(tmp, { recursive: true, force: true });
    throw new OciLayoutError(`cannot move the new layout into ${dir}`, dir, { cause: error });
  }
  await rm(old, { recursive: true, force: true });
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
    const withTimes = await Promise.all(olds.map(async (o) => ({ ...o, mtime: (await lstat(o.path)).mtimeMs })));
    const newest = withTimes.sort((a, b) => b.mtime - a.mtime)[0];
    if (newest !== undefined) await rename(newest.path, dir);
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
