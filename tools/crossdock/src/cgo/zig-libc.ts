import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatPlatform, zigTarget, type CLibrary, type Platform } from '@crossdock/platform';
import { formatDuration } from '../report/format';
import { writeFileAtomically } from '../files/write-atomically';
import type { Runner } from '../process/runner';
import { zigCacheDir, type Zig } from './zig';

/** Options of ensureZigLibc. */
export interface ZigLibcOptions {
  readonly zig: Zig;
  readonly platform: Platform;
  readonly libc: CLibrary;
  readonly cacheRoot: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Live progress lines (the first build of a target's C library takes minutes on 2 cores). */
  readonly progress: (line: string) => void;
  /** How often a "still building" line is printed. Default 20 s. */
  readonly tickMs?: number;
}

/** The file that says zig's cache holds the C library of this zig and target (it names both). */
export function zigLibcMarker(cacheRoot: string, zig: Zig, args: readonly string[]): string {
  const slug = args.join('_').replace(/[^A-Za-z0-9._=+-]/g, '_');
  return join(zigCacheDir(cacheRoot), 'crossdock-libc', `zig-${zig.version}${slug}.built`);
}

/**
 * Builds zig's C library for one target into zig's global cache before the `go build` that
 * needs it, by linking a one-line C program with the flags Go's external link uses, so the
 * minutes it takes the first time are announced (what, for which platform, how long so far)
 * instead of passing in silence inside `go build`. Later calls see the marker file and return
 * at once. Only a warm-up: it writes nothing the build reads but zig's own cache, and when it
 * fails the `go build` after it reports the real error, so a failure here is a line, not an
 * error.
 */
export async function ensureZigLibc(runner: Runner, options: ZigLibcOptions): Promise<void> {
  const { zig, platform, libc, cacheRoot, progress } = options;
  const target = zigTarget(platform, libc);
  const marker = zigLibcMarker(cacheRoot, zig, target.args);
  if (existsSync(marker)) return;
  const what = `zig's ${libc} C library for ${target.triple} (${formatPlatform(platform)})`;
  progress(`building ${what}: once per target and zig version, about a minute of CPU`);
  const started = Date.now();
  const ticker = setInterval(
    () => progress(`still building ${what}: ${formatDuration(Date.now() - started)} so far`),
    options.tickMs ?? 20_000,
  );
  ticker.unref();
  const work = await mkdtemp(join(tmpdir(), 'crossdock-zig-libc-'));
  try {
    await writeFile(join(work, 'probe.c'), 'int main(void) { return 0; }\n');
    const cache = zigCacheDir(cacheRoot);
    await runner.run(
      zig.path,
      [
        'cc',
        ...target.args,
        '-O2',
        '-g',
        ...(libc === 'musl' ? ['-static'] : []),
        '-s',
        '-o',
        join(work, 'probe'),
        join(work, 'probe.c'),
      ],
      {
        env: {
          PATH: options.env['PATH'],
          HOME: options.env['HOME'],
          ZIG_GLOBAL_CACHE_DIR: cache,
          ZIG_LOCAL_CACHE_DIR: cache,
        },
        extendEnv: false,
        timeoutMs: 30 * 60_000,
      },
    );
    await writeFileAtomically(marker, `${target.args.join(' ')}\n`);
    progress(`${what} built in ${formatDuration(Date.now() - started)}`);
  } catch (error) {
    progress(
      `could not build ${what} ahead of the compile (${(error as Error).message.split('\n')[0]}); go build will try and report`,
    );
  } finally {
    clearInterval(ticker);
    await rm(work, { recursive: true, force: true });
  }
}
