import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Fills a fresh temporary sibling of `target` with `fill`, then swaps it into place with
 * renames, so `target` is always either the previous complete tree or the new one, even
 * if the process dies midway. Stale siblings left by an earlier crash are removed.
 */
export async function replaceDirectory(target: string, fill: (dir: string) => Promise<void>): Promise<void> {
  const parent = dirname(target);
  const name = basename(target);
  await mkdir(parent, { recursive: true });
  await removeStaleSiblings(parent, name);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const fresh = join(parent, `.${name}.tmp-${suffix}`);
  const old = join(parent, `.${name}.old-${suffix}`);
  try {
    await mkdir(fresh);
    await fill(fresh);
    await rename(target, old).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(fresh, target);
  } finally {
    await rm(fresh, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
}

async function removeStaleSiblings(parent: string, name: string): Promise<void> {
  const stale = (await readdir(parent)).filter((entry) => entry.startsWith(`.${name}.tmp-`) || entry.startsWith(`.${name}.old-`));
  await Promise.all(stale.filter((entry) => !isOurs(entry)).map((entry) => rm(join(parent, entry), { recursive: true, force: true })));
}

/** A sibling whose owning process is still alive is left alone (a concurrent build). */
function isOurs(entry: string): boolean {
  const pid = Number(/\.(?:tmp|old)-(\d+)-/.exec(entry)?.[1]);
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
