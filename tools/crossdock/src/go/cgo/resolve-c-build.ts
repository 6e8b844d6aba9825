import type { Platform } from '@crossdock/platform';
import type { Runner } from '../../support/process/runner';
import { crossdockCacheRoot } from '../../support/files/cache-root';
import { cBuildFor, usesZig, type CBuild, type CToolchainOptions } from './c-toolchain';
import { ensureZig } from './zig';

/**
 * The C part of one platform's cgo build, installing the pinned zig first when the project
 * uses zig and none is found (progress goes to `progress`). The composition of cache root,
 * zig lookup and the pure cBuildFor.
 */
export async function resolveCBuild(
  runner: Runner,
  platform: Platform,
  options: CToolchainOptions,
  env: Readonly<Record<string, string | undefined>>,
  progress: (line: string) => void,
): Promise<CBuild> {
  const cacheRoot = crossdockCacheRoot(env);
  const zig = usesZig(options) ? await ensureZig(runner, { cacheRoot, env, progress }) : undefined;
  return cBuildFor(platform, options, zig, cacheRoot);
}
