import { mkdir, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** How to wait for a directory lock held by another process. */
export interface DirLockOptions {
  /** Stop waiting once this returns true (the holder produced what we wanted). */
  readonly done: () => Promise<boolean>;
  /** A lock older than this is taken to be left by a killed process, and is broken. */
  readonly staleMs: number;
  readonly pollMs?: number;
}

function isExists(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'EEXIST';
}

/**
 * Runs `work` while holding the lock directory `lockPath` (mkdir is atomic), so parallel
 * vitest workers build a fixture set once. A waiter returns without running `work` when
 * `options.done()` turns true; a stale lock is removed and the wait starts again.
 */
export async function withDirLock(
  lockPath: string,
  options: DirLockOptions,
  work: () => Promise<void>,
): Promise<void> {
  for (;;) {
    if (await options.done()) return;
    try {
      await mkdir(lockPath);
    } catch (error) {
      if (!isExists(error)) throw error;
      const held = await stat(lockPath).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs > options.staleMs)
        await rm(lockPath, { recursive: true, force: true });
      else await sleep(options.pollMs ?? 500);
      continue;
    }
    try {
      await work();
      return;
    } finally {
      await rm(lockPath, { recursive: true, force: true });
    }
  }
}
