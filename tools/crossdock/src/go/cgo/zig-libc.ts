import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlatform, zigTarget, type CLibrary, type Platform } from '@crossdock/platform';
import { formatDuration } from '../../support/report/format';
import { writeFileAtomically } from '../../support/files/write-atomically';
import { zigCacheDir } from './zig';

/** Options of withCBuildProgress. */
export interface CBuildProgressOptions {
  /** The CC of the build (`<zig> cc -target … [-mcpu=…]`): names zig and the target. */
  readonly cc: string;
  readonly platform: Platform;
  readonly libc: CLibrary;
  readonly cacheRoot: string;
  /** Live progress lines. */
  readonly progress: (line: string) => void;
  /** How often a "still compiling" line is printed. Default 20 s. */
  readonly tickMs?: number;
}

/** The file that says a cgo build with this CC (zig and target) succeeded, so zig's cache holds its C library. */
export function zigLibcMarker(cacheRoot: string, cc: string): string {
  const key = createHash('sha256').update(cc).digest('hex').slice(0, 16);
  return join(zigCacheDir(cacheRoot), 'crossdock-libc', `${key}.built`);
}

/**
 * Runs a cgo `go build` with zig while saying what it does: before the first build for a
 * target (no marker yet) that zig builds its C library for that target first (about a minute
 * of CPU), then a line every 20 s until the build ends, and the marker once it succeeded. Only
 * lines and a marker in zig's cache folder: the build itself is unchanged (zig builds its
 * library inside `go build`, where Go's link flags choose the variant, so nothing is built
 * twice).
 */
export async function withCBuildProgress<T>(
  options: CBuildProgressOptions,
  build: () => Promise<T>,
): Promise<T> {
  const { platform, libc, progress } = options;
  const target = zigTarget(platform, libc).triple;
  const name = formatPlatform(platform);
  const marker = zigLibcMarker(options.cacheRoot, options.cc);
  progress(
    existsSync(marker)
      ? `${name}: compiling Go and C (cgo, zig ${target})`
      : `${name}: compiling Go and C (cgo, zig ${target}); zig first builds its ${libc} C library for ${target} (once per target and zig version: about a minute of CPU)`,
  );
  const started = Date.now();
  const ticker = setInterval(
    () =>
      progress(
        `${name}: still compiling (cgo, zig ${target}): ${formatDuration(Date.now() - started)} so far`,
      ),
    options.tickMs ?? 20_000,
  );
  ticker.unref();
  try {
    const result = await build();
    if (!existsSync(marker)) await writeFileAtomically(marker, `${target}\n`);
    return result;
  } finally {
    clearInterval(ticker);
  }
}
