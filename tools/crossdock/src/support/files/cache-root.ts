import { accessSync, constants, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The system-wide cache folder the setup scripts use (tools/scripts/*.sh, CROSSDOCK_CACHE). */
export const SYSTEM_CACHE_ROOT = '/var/cache/crossdock';

/**
 * The folder crossdock keeps its reusable downloads and caches in (the zig toolchain, zig's
 * global cache, the builtin engine's deflate pieces, registry bases' blobs): CROSSDOCK_CACHE
 * when set; else /var/cache/crossdock when it exists and is writable, or can be made (root);
 * else $XDG_CACHE_HOME/crossdock or ~/.cache/crossdock.
 * Only a location: what lands there is keyed by content and version, so it changes no output.
 */
export function crossdockCacheRoot(env: Readonly<Record<string, string | undefined>>): string {
  const configured = env['CROSSDOCK_CACHE'];
  if (configured) return configured;
  if (writable(existsSync(SYSTEM_CACHE_ROOT) ? SYSTEM_CACHE_ROOT : dirname(SYSTEM_CACHE_ROOT)))
    return SYSTEM_CACHE_ROOT;
  return join(env['XDG_CACHE_HOME'] || join(env['HOME'] || homedir(), '.cache'), 'crossdock');
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
