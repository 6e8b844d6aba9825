import { lutimesSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The modification time of every file and directory of a generated build context:
 * 2038-01-19T03:14:07Z, the largest time a signed 32-bit field holds (so every filesystem
 * and tar stores it), later than any commit time an epoch is taken from today.
 *
 * Why a fixed time in the future: BuildKit's COPY cache keys hash file contents, modes and
 * owners but not times, so a warm builder reuses the snapshot of an earlier build of the same
 * files, with that build's times; and `rewrite-timestamp` only lowers times later than
 * SOURCE_DATE_EPOCH. Times taken from the clock (or the epoch itself) made the layer depend
 * on which earlier build the builder remembered. One time later than every epoch is always
 * lowered to this build's epoch, whichever snapshot is reused. The builtin engine does not
 * read these times (it writes the epoch), so its bytes do not depend on them.
 */
export const CONTEXT_MTIME = 2 ** 31 - 1;

/**
 * Sets the access and modification times of `dir` and everything under it to CONTEXT_MTIME
 * (symlinks themselves, not their targets; a directory after its entries). Synchronous: a
 * few dozen entries, set at the end of the build, when the thread pool is busy with the
 * last layer's reads and deflate pieces; one call each takes less time than a turn in its queue.
 */
export function pinContextTimes(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) pinContextTimes(path);
    else if (entry.isSymbolicLink()) lutimesSync(path, CONTEXT_MTIME, CONTEXT_MTIME);
    else utimesSync(path, CONTEXT_MTIME, CONTEXT_MTIME);
  }
  utimesSync(dir, CONTEXT_MTIME, CONTEXT_MTIME);
}
