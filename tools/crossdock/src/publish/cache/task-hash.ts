/**
 * The task hashes the cache accepts: what Nx sends (decimal digits today), and anything
 * that is also a valid OCI tag without dots, so a hash is its entry's tag as is.
 */
const TASK_HASH = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,127}$/;

/** True when `hash` can name a cache entry. */
export function isTaskHash(hash: string): boolean {
  return TASK_HASH.test(hash);
}
