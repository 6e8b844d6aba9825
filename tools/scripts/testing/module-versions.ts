import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';

/**
 * Where tests keep what they download: outside the repository, kept between runs on one
 * machine (CROSSDOCK_TEST_CACHE overrides it). Go modules go to its `gomod/` folder, a
 * GOMODCACHE of its own, never into the repository or the user's module cache.
 */
export const TEST_CACHE = process.env['CROSSDOCK_TEST_CACHE'] ?? '/var/cache/crossdock/test-cache';

/** One released version of a module, unpacked: its files and when it was published. */
export interface ModuleVersion {
  readonly version: string;
  /** The unpacked module (read-only files, as the module cache keeps them). */
  readonly dir: string;
  /** Publication time from the proxy's .info, in unix seconds. */
  readonly time: number;
}

/**
 * Downloads the versions of a module from the Go module proxy into the test cache's
 * GOMODCACHE with one `go mod download -json` (a no-op for versions already there) and
 * returns them in the order given.
 */
export async function downloadVersions(
  module: string,
  versions: readonly string[],
): Promise<ModuleVersion[]> {
  const gomodcache = join(TEST_CACHE, 'gomod');
  mkdirSync(gomodcache, { recursive: true });
  const { stdout } = await execa(
    'go',
    ['mod', 'download', '-json', ...versions.map((v) => `${module}@${v}`)],
    { env: { GOMODCACHE: gomodcache, GOFLAGS: '', GOTOOLCHAIN: 'local' }, cwd: TEST_CACHE },
  );
  // One JSON object per version, printed one after another.
  const records = stdout
    .split(/\n(?=\{)/)
    .map((text) => JSON.parse(text) as { Version: string; Dir: string; Info: string });
  return versions.map((version) => {
    const record = records.find((r) => r.Version === version);
    if (record === undefined) throw new Error(`go mod download printed nothing for ${version}`);
    const info = JSON.parse(readFileSync(record.Info, 'utf8')) as { Time: string };
    return { version, dir: record.Dir, time: Math.floor(Date.parse(info.Time) / 1000) };
  });
}
