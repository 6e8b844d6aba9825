import * as nodeModule from 'node:module';

/**
 * Nx's preTasksExecution hook: hands Node's compile cache to the processes Nx starts for the
 * tasks. What a preTasksExecution hook sets in process.env, Nx sets in the nx process before
 * it starts any task, whether the plugin runs there, in a plugin worker or in the daemon. So
 * the batch process that runs the compiles and the image starts with the cache and loads Nx's
 * own modules from it (about 30 ms less before the first `go build` with the daemon on, where
 * nothing else passes it). The directory is the one the plugin's process uses
 * (scripts/compile-cache.js turns it on, or Nx did), unless the command's environment names
 * one; the daemon takes each command's environment, so it is asked of Node, not of
 * process.env. A performance aid only: no output depends on it; NODE_DISABLE_COMPILE_CACHE=1
 * leaves it off.
 */
export function passCompileCache(): void {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return;
  const directory = process.env.NODE_COMPILE_CACHE || compileCacheDirOfThisProcess();
  // Set even when it is there already: Nx passes on what the hook sets, not what it finds.
  if (directory) process.env.NODE_COMPILE_CACHE = directory;
}

/** Node >= 22.8 says which compile cache directory this process uses; none before. */
function compileCacheDirOfThisProcess(): string | undefined {
  const { getCompileCacheDir } = nodeModule as { getCompileCacheDir?: () => string | undefined };
  return getCompileCacheDir?.();
}
