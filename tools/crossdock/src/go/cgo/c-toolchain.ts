import {
  formatPlatform,
  gnuTriple,
  zigTarget,
  type CLibrary,
  type Platform,
} from '@crossdock/platform';
import { zigCacheDir, type Zig } from './zig';
import { CrossdockError } from '../../support/crossdock-error';

/** The C toolchain options of a cgo project (see option-specs: cc, cxx, libc, cgoCflags, cgoLdflags). */
export interface CToolchainOptions {
  /** C compiler command template; '' = zig. Placeholders: {triple} (GNU triple), {os}, {arch}, {variant}. */
  readonly cc: string;
  /** C++ compiler command template; '' = zig's c++ with zig, else unset. */
  readonly cxx: string;
  readonly libc: CLibrary;
  readonly cgoCflags: readonly string[];
  readonly cgoLdflags: readonly string[];
}

/** What a cgo `go build` for one platform gets from its C toolchain. */
export interface CBuild {
  /** `zig`, or `cc` for a configured cross compiler. */
  readonly kind: 'zig' | 'cc';
  /** CC, CXX, CGO_CFLAGS, CGO_CXXFLAGS, CGO_LDFLAGS and, with zig, its cache folders: the whole C part of the environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Linker flags added after the project's ldflags: external linking, static for musl, stripped. */
  readonly ldflags: readonly string[];
}

/** A cc/cxx template that cannot be filled for a platform. */
export class CToolchainError extends CrossdockError {
  constructor(message: string) {
    super(message);
    this.name = 'CToolchainError';
  }
}

/** Whether a project compiles C with zig (no cc configured) rather than a configured cross compiler. */
export function usesZig(options: Pick<CToolchainOptions, 'cc'>): boolean {
  return options.cc.trim() === '';
}

/**
 * A cc or cxx template filled for a platform: `{triple}-gcc` → `aarch64-linux-gnu-gcc` for
 * linux/arm64 with glibc. Unknown placeholders are an error naming the template.
 */
export function fillCompilerTemplate(template: string, platform: Platform, libc: CLibrary): string {
  const values: Record<string, string> = {
    triple: gnuTriple(platform, libc),
    os: platform.os,
    arch: platform.architecture,
    variant: platform.variant ?? '',
  };
  return template.replace(/\{([^}]*)\}/g, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new CToolchainError(
        `the C compiler template "${template}" has {${name}}, which is not one of {triple}, {os}, {arch}, {variant}`,
      );
    }
    return value;
  });
}

/**
 * The linker flags a cgo build adds: external linking (the C toolchain links), `-static` for
 * musl (a binary that runs on scratch), and `-s` so the C objects' DWARF, which records the
 * build machine's directories (the workspace, zig's lib folder), stays out of the binary.
 */
export function cgoLinkFlags(libc: CLibrary): string[] {
  return ['-linkmode=external', `-extldflags '${libc === 'musl' ? '-static -s' : '-s'}'`];
}

/**
 * The C part of a cgo build for one platform: with zig, CC=`<zig> cc -target <triple>
 * [-mcpu=…]` (the triple and CPU from libs/platform) and zig's caches under the cache
 * root; with a configured compiler, the filled cc/cxx templates. CGO_CFLAGS, CGO_CXXFLAGS
 * and CGO_LDFLAGS come from the options alone (an empty option leaves Go's default), never
 * from the caller's environment.
 */
export function cBuildFor(
  platform: Platform,
  options: CToolchainOptions,
  zig: Zig | undefined,
  cacheRoot: string,
): CBuild {
  const env: Record<string, string> = {};
  let kind: CBuild['kind'];
  if (usesZig(options)) {
    if (zig === undefined)
      throw new CToolchainError(`no zig to compile C for ${formatPlatform(platform)}`);
    const target = zigTarget(platform, options.libc).args.join(' ');
    env['CC'] = `${zig.path} cc ${target}`;
    env['CXX'] = `${zig.path} c++ ${target}`;
    env['ZIG_GLOBAL_CACHE_DIR'] = zigCacheDir(cacheRoot);
    env['ZIG_LOCAL_CACHE_DIR'] = zigCacheDir(cacheRoot);
    kind = 'zig';
  } else {
    env['CC'] = fillCompilerTemplate(options.cc, platform, options.libc);
    if (options.cxx.trim() !== '')
      env['CXX'] = fillCompilerTemplate(options.cxx, platform, options.libc);
    kind = 'cc';
  }
  if (options.cgoCflags.length > 0) {
    env['CGO_CFLAGS'] = options.cgoCflags.join(' ');
    env['CGO_CXXFLAGS'] = options.cgoCflags.join(' ');
  }
  if (options.cgoLdflags.length > 0) env['CGO_LDFLAGS'] = options.cgoLdflags.join(' ');
  return Object.freeze({
    kind,
    env: Object.freeze(env),
    ldflags: Object.freeze(cgoLinkFlags(options.libc)),
  });
}
