import {
  describeElf,
  ElfFormatError,
  parseElf,
  parseGoBuildInfo,
  readElfFile,
  readGoBuildInfo,
  type ElfInfo,
  type GoBuildInfo,
} from '@crossdock/elf';
import {
  ELF_MACHINES,
  elfExpectation,
  formatPlatform,
  gnuTriple,
  goEnv,
  type Platform,
} from '@crossdock/platform';
import { CrossdockError } from '../support/crossdock-error';

/** A binary that must not ship: wrong architecture, wrong Go target, or a loader the image lacks. */
export class PreflightError extends CrossdockError {
  constructor(
    readonly project: string,
    readonly platform: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PreflightError';
  }
}

/** What preflight needs to know about one binary and the image it goes into. */
export interface PreflightInput {
  readonly project: string;
  readonly platform: Platform;
  readonly binary: string;
  /** The binary's bytes when they were read already (else it is read from `binary`). */
  readonly bytes?: Uint8Array;
  /** Name of the base image, for messages (a promise while the base is still being resolved). */
  readonly baseName: string | PromiseLike<string>;
  /** Whether the image's root filesystem (the base's) holds a path. */
  readonly baseHasPath: (path: string) => Promise<boolean>;
}

/** What preflight found: the ELF facts and, for Go binaries, the build info. */
export interface PreflightReport {
  readonly elf: ElfInfo;
  readonly go?: GoBuildInfo;
}

/**
 * Checks that a binary can run in its image before the image is written: its ELF machine,
 * class and byte order match the platform; for a Go binary the recorded GOOS, GOARCH,
 * GOARM and GOAMD64 match too; and a dynamically linked binary's loader exists in the base
 * and, for glibc, the C library (libc.so.6) too.
 */
export async function preflightBinary(input: PreflightInput): Promise<PreflightReport> {
  const platform = formatPlatform(input.platform);
  const fail = (message: string, cause?: unknown): never => {
    throw new PreflightError(
      input.project,
      platform,
      `${input.project}: refusing to ship ${input.binary} in the ${platform} image: ${message}`,
      { cause },
    );
  };
  let elf: ElfInfo;
  try {
    elf = input.bytes ? parseElf(input.bytes) : await readElfFile(input.binary);
  } catch (error) {
    if (error instanceof ElfFormatError)
      return fail(
        `it is not a readable ELF executable (${error.detail}); rebuild it: nx run ${input.project}:compile`,
        error,
      );
    throw error;
  }
  const expected = elfExpectation(input.platform);
  if (
    elf.machine !== expected.machine ||
    elf.elfClass !== expected.elfClass ||
    elf.byteOrder !== expected.byteOrder
  ) {
    const actualArch = architectureOf(elf);
    fail(
      `it is ${describeElf(elf)}${actualArch ? ` (a linux/${actualArch} binary)` : ''}, but ${platform} needs ` +
        `${expected.elfClass}-bit ${expected.byteOrder}-endian ${expected.machineName}. It would fail with "exec format error". ` +
        `Rebuild it for ${platform} (GOOS/GOARCH from the platform: nx run ${input.project}:compile).`,
    );
  }
  const go = await goBuildInfoOf(input);
  if (go) checkGoTarget(go, input.platform, input.project, fail);
  if (elf.interpreter && !(await input.baseHasPath(elf.interpreter))) {
    const library = cLibraryOf(elf.interpreter);
    const baseName = await input.baseName;
    fail(
      `it is dynamically linked and needs the loader ${elf.interpreter}${library ? ` (${library})` : ''}, which the base image (${baseName}) ` +
        `does not have for ${platform}. The container would fail with "exec ${input.binary.split('/').pop()}: no such file or directory" ` +
        `(under QEMU: "Could not open '${elf.interpreter}'"). Fix: build a static binary with CGO_ENABLED=0 (option cgo: false, the default), ` +
        `or use a base image that has ${library ?? 'this C library'} for ${platform} (one whose root filesystem contains ${elf.interpreter}). ` +
        `A cgo project: libc: musl (the default) links statically and runs on scratch.`,
    );
  }
  if (elf.interpreter && cLibraryOf(elf.interpreter) === 'glibc') {
    const candidates = glibcPaths(input.platform);
    const found = await firstPresent(candidates, input.baseHasPath);
    if (found === undefined) {
      const baseName = await input.baseName;
      fail(
        `it is dynamically linked against glibc: the base image (${baseName}) has its loader ${elf.interpreter} but no C library (libc.so.6) for ${platform} ` +
          `in ${[...new Set(candidates.map((path) => path.slice(0, path.lastIndexOf('/'))))].join(', ')}. The container would fail with ` +
          `"error while loading shared libraries: libc.so.6". Fix: a base with glibc for ${platform} (Debian's libc6), or libc: musl (static).`,
      );
    }
  }
  return { elf, ...(go ? { go } : {}) };
}

/** The Go build info of the binary; none when it is not a Go binary. */
async function goBuildInfoOf(input: PreflightInput): Promise<GoBuildInfo | undefined> {
  if (!input.bytes) return readGoBuildInfo(input.binary).catch(() => undefined);
  try {
    return parseGoBuildInfo(input.bytes);
  } catch {
    return undefined;
  }
}

/** Where a glibc base keeps libc.so.6 for a platform: Debian's multiarch folders, then the plain ones. */
function glibcPaths(platform: Platform): string[] {
  const multiarch = [
    gnuTriple(platform, 'glibc'),
    ...(platform.architecture === '386' ? ['i386-linux-gnu'] : []),
  ];
  const dirs = [
    ...multiarch.flatMap((triple) => [`/lib/${triple}`, `/usr/lib/${triple}`]),
    '/lib64',
    '/usr/lib64',
    '/lib',
    '/usr/lib',
  ];
  return dirs.map((dir) => `${dir}/libc.so.6`);
}

async function firstPresent(
  paths: readonly string[],
  has: (path: string) => Promise<boolean>,
): Promise<string | undefined> {
  for (const path of paths) if (await has(path)) return path;
  return undefined;
}

/** The Go target settings recorded in the binary must be the platform's (catches a wrong GOARM or GOAMD64). */
function checkGoTarget(
  go: GoBuildInfo,
  platform: Platform,
  project: string,
  fail: (message: string) => never,
): void {
  const wanted = goEnv(platform);
  for (const key of ['GOOS', 'GOARCH', 'GOARM', 'GOAMD64'] as const) {
    const want = wanted[key];
    if (want === undefined) continue;
    // Go records GOARM as "7" or "7,softfloat"; only the level must match.
    const have = go.settings[key]?.split(',')[0];
    if (have !== undefined && have !== want) {
      const unseen =
        key === 'GOARM' || key === 'GOAMD64'
          ? ' (the ELF header looks the same for every level, so only the Go build info shows it)'
          : '';
      fail(
        `Go target mismatch: its Go build info says ${key}=${go.settings[key]}, but ${formatPlatform(platform)} needs ${key}=${want}${unseen}. ` +
          `Rebuild it with the platform's Go environment: nx run ${project}:compile.`,
      );
    }
  }
}

/** The C library a dynamic loader belongs to, from its file name: glibc (ld-linux*, ld64.so*), musl (ld-musl-*). */
function cLibraryOf(interpreter: string): string | undefined {
  const name = interpreter.split('/').pop() ?? '';
  if (name.startsWith('ld-musl-')) return 'musl libc';
  if (name.startsWith('ld-linux') || name.startsWith('ld64.so') || name.startsWith('ld.so'))
    return 'glibc';
  return undefined;
}

function architectureOf(elf: ElfInfo): string | undefined {
  return Object.entries(ELF_MACHINES).find(
    ([, row]) =>
      row.machine === elf.machine &&
      row.elfClass === elf.elfClass &&
      row.byteOrder === elf.byteOrder,
  )?.[0];
}
