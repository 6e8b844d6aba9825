import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  writeFile,
  chmod,
  rmdir,
} from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError, tail, type Runner } from '../../support/process/runner';
import { isProcessAlive } from '../../support/files/process-alive';
import { CrossdockError } from '../../support/crossdock-error';
import { watchDownload, ZIG_WHEEL_BYTES } from './download-progress';

/** The zig version crossdock installs and expects: PyPI's ziglang package, pinned. */
export const ZIG_VERSION = '0.17.0';

/**
 * sha256 of the ziglang==0.17.0 wheels pip may pick (Linux x86_64 and aarch64 hosts), so a
 * download that is not the pinned release fails instead of becoming the C compiler.
 */
export const ZIG_WHEEL_HASHES: readonly string[] = Object.freeze([
  '97079827064a7492cce5541ceb438ae8003ce1e54e399676da2d62fb7a5dc08b',
  'd2804f94f54f7fcf8169f4b212a619ad688a4e2e6592e976f0cf2e58e2cd8af3',
]);

/** A zig toolchain crossdock compiles C with. */
export interface Zig {
  /** The zig executable (absolute, or `zig` from PATH). */
  readonly path: string;
  /** What `zig version` prints: `0.17.0`. */
  readonly version: string;
  /** Where it came from, for messages. */
  readonly source: 'cache' | 'path' | 'installed';
}

/** zig could not be found or installed: says what was tried and how to fix it. */
export class ZigError extends CrossdockError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ZigError';
  }
}

/** The folder the pinned zig is installed in: `<cache root>/zig-0.17.0` (holds `zig` and `lib/`). */
export function zigInstallDir(cacheRoot: string, version = ZIG_VERSION): string {
  return join(cacheRoot, `zig-${version}`);
}

/** zig's global cache (ZIG_GLOBAL_CACHE_DIR): the per-target libc builds, kept like GOCACHE. */
export function zigCacheDir(cacheRoot: string): string {
  return join(cacheRoot, 'zig-cache');
}

async function zigVersion(
  runner: Runner,
  path: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> {
  try {
    const result = await runner.run(path, ['version'], {
      env: { PATH: env['PATH'] },
      extendEnv: false,
      timeoutMs: 30_000,
    });
    return result.stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The zig to compile C with, without installing anything: the pinned zig in the cache
 * folder, else a `zig` on PATH (any version; its version is a cache input). Undefined when
 * neither exists.
 */
export async function findZig(
  runner: Runner,
  cacheRoot: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Zig | undefined> {
  const cached = join(zigInstallDir(cacheRoot), 'zig');
  if (existsSync(cached)) {
    const version = await zigVersion(runner, cached, env);
    if (version === ZIG_VERSION) return { path: cached, version, source: 'cache' };
  }
  const onPath = await zigVersion(runner, 'zig', env);
  return onPath ? { path: 'zig', version: onPath, source: 'path' } : undefined;
}

/** Options of ensureZig. */
export interface EnsureZigOptions {
  readonly cacheRoot: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Progress lines (the install takes a minute: a 100 MB download). */
  readonly progress: (line: string) => void;
}

/**
 * The zig to compile C with, installing the pinned one when none is found: `pip download`
 * of the ziglang wheel (hash-checked), unpacked into a temporary folder beside the cache
 * folder and renamed into place, so a half-finished install is never used. Concurrent
 * callers (parallel compile tasks) wait for the one that holds the install lock.
 */
export async function ensureZig(runner: Runner, options: EnsureZigOptions): Promise<Zig> {
  const found = await findZig(runner, options.cacheRoot, options.env);
  if (found) return found;
  await mkdir(options.cacheRoot, { recursive: true });
  const lock = `${zigInstallDir(options.cacheRoot)}.lock`;
  await withLock(lock, options.progress, async () => {
    if (await findZig(runner, options.cacheRoot, options.env)) return;
    await installZig(runner, options);
  });
  const installed = await findZig(runner, options.cacheRoot, options.env);
  if (!installed)
    throw new ZigError(
      `zig ${ZIG_VERSION} was installed into ${zigInstallDir(options.cacheRoot)} but does not run`,
    );
  return { ...installed, source: 'installed' };
}

async function installZig(
  runner: Runner,
  { cacheRoot, env, progress }: EnsureZigOptions,
): Promise<void> {
  const target = zigInstallDir(cacheRoot);
  const work = await mkdtemp(join(cacheRoot, `.zig-${ZIG_VERSION}.tmp-${process.pid}-`));
  try {
    progress(
      `installing zig ${ZIG_VERSION} (PyPI ziglang==${ZIG_VERSION}, about 100 MB) into ${target}; once per machine`,
    );
    const requirements = join(work, 'requirements.txt');
    await writeFile(
      requirements,
      `ziglang==${ZIG_VERSION} ${ZIG_WHEEL_HASHES.map((hash) => `--hash=sha256:${hash}`).join(' ')}\n`,
    );
    const python = env['PYTHON'] || 'python3';
    // pip's own temporary folder inside `work`, so the download's progress can be measured.
    await mkdir(join(work, 'tmp'));
    const childEnv = {
      PATH: env['PATH'],
      HOME: env['HOME'],
      TMPDIR: join(work, 'tmp'),
      PIP_INDEX_URL: env['PIP_INDEX_URL'],
    };
    const stopWatching = watchDownload({
      dir: work,
      label: `ziglang ${ZIG_VERSION}`,
      totalBytes: ZIG_WHEEL_BYTES[process.arch],
      progress,
    });
    await run(
      runner,
      python,
      [
        '-m',
        'pip',
        'download',
        '--quiet',
        '--disable-pip-version-check',
        '--no-deps',
        '--only-binary=:all:',
        '--require-hashes',
        '-r',
        requirements,
        '-d',
        join(work, 'wheel'),
      ],
      childEnv,
    ).finally(stopWatching);
    const wheels = (await readdir(join(work, 'wheel'))).filter((name) => name.endsWith('.whl'));
    if (wheels.length !== 1)
      throw new ZigError(
        `pip download of ziglang==${ZIG_VERSION} left ${wheels.length} wheels in ${join(work, 'wheel')}, expected one`,
      );
    progress(`unpacking ${wheels[0]}`);
    await run(
      runner,
      python,
      ['-m', 'zipfile', '-e', join(work, 'wheel', wheels[0]!), join(work, 'unpacked')],
      childEnv,
    );
    const unpacked = join(work, 'unpacked', 'ziglang');
    // zipfile does not keep file modes: zig is the only executable the toolchain needs.
    await chmod(join(unpacked, 'zig'), 0o755);
    const version = await zigVersion(runner, join(unpacked, 'zig'), env);
    if (version !== ZIG_VERSION)
      throw new ZigError(
        `the unpacked zig says its version is ${JSON.stringify(version)}, expected ${ZIG_VERSION}`,
      );
    await rm(target, { recursive: true, force: true });
    await rename(unpacked, target);
    progress(`zig ${ZIG_VERSION} installed: ${join(target, 'zig')}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function run(
  runner: Runner,
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  try {
    await runner.run(command, args, { env, extendEnv: false, timeoutMs: 15 * 60_000 });
  } catch (error) {
    if (error instanceof CommandError) {
      const hint = error.notFound
        ? `${command} was not found; install Python 3 with pip, or put zig ${ZIG_VERSION} on PATH (https://ziglang.org/download/)`
        : `${tail(error.stderrTail, 15)}\nFix the above (network access to PyPI, pip), or put zig ${ZIG_VERSION} on PATH`;
      throw new ZigError(
        `could not install zig ${ZIG_VERSION}: ${[command, ...args].join(' ')} failed: ${hint}`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * Runs `body` holding a lock directory (mkdir is atomic). A lock whose holder process is
 * gone is taken over; waiting callers print one line and poll.
 */
async function withLock(
  lock: string,
  progress: (line: string) => void,
  body: () => Promise<void>,
): Promise<void> {
  let announced = false;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(join(lock, 'pid'), 'utf8').catch(() => '')).trim());
      if (holder > 0 && !isProcessAlive(holder)) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (!announced)
        progress(`waiting for another process installing zig ${ZIG_VERSION} (lock ${lock})`);
      announced = true;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    await writeFile(join(lock, 'pid'), String(process.pid));
    await body();
  } finally {
    await rm(join(lock, 'pid'), { force: true });
    await rmdir(lock).catch(() => undefined);
  }
}
