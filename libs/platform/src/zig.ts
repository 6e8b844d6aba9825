import { canonicalPlatform } from './parse';
import { PlatformError } from './errors';
import { formatPlatform } from './format';
import type { Platform } from './platform';

/** The C libraries a cgo binary can be linked against: musl (static) or glibc (dynamic). */
export type CLibrary = 'musl' | 'glibc';

/** The C libraries, in message order. */
export const C_LIBRARIES: readonly CLibrary[] = Object.freeze(['musl', 'glibc']);

/** How zig names one architecture: its CPU field, the ABI per C library, the CPU model per variant. */
export interface ZigArchitecture {
  /** The first field of the zig target triple (`aarch64`, `powerpc64le`, `x86`). */
  readonly cpu: string;
  /** The ABI field per C library and variant ('' = no variant): `musleabihf`, `gnu`… */
  readonly abi: Readonly<Record<CLibrary, Readonly<Record<string, string>>>>;
  /**
   * The `-mcpu` model per variant ('' = no variant), so that C code is compiled for the same
   * instruction-set level as the Go code (GOARM, GOAMD64, GOPPC64); none where zig's
   * baseline CPU already is that level or lower.
   */
  readonly mcpu: Readonly<Record<string, string>>;
}

const same = (abi: string) => ({ '': abi });

/**
 * The zig target of each architecture. Chosen to match what Go compiles for the platform:
 * - arm: v5 is soft-float (Go's GOARM=5 default), so the `eabi` ABI and an ARMv5TE CPU
 *   (arm926ej_s); v6 and v7 are hard-float (`eabihf`), ARMv6KZ with VFPv2 (arm1176jzf_s, the
 *   Raspberry Pi 1 CPU) and ARMv7-A with VFPv3-D16 and no NEON (`-neon-d32`: zig's v7a alone turns NEON on; the Debian armhf baseline,
 *   what GOARM=7 assumes).
 * - amd64: the GOAMD64 level as zig's x86_64_v2..v4 CPU models; v1 is zig's baseline.
 * - ppc64le: POWER8 (GOPPC64=power8), the ELFv2 ABI.
 * - 386: zig calls the 32-bit x86 CPU `x86` (formerly i386); GO386=sse2 is a Pentium 4.
 * - mips64le: the n64 ABI (`muslabi64`, `gnuabi64`), as Go's mips64le port uses.
 * - arm64, s390x, riscv64, loong64: zig's baseline CPU is the Go baseline (ARMv8.0,
 *   z/Architecture, RV64GC, LA64).
 */
export const ZIG_ARCHITECTURES: Readonly<Record<string, ZigArchitecture>> = Object.freeze({
  amd64: {
    cpu: 'x86_64',
    abi: {
      musl: { '': 'musl', v2: 'musl', v3: 'musl', v4: 'musl' },
      glibc: { '': 'gnu', v2: 'gnu', v3: 'gnu', v4: 'gnu' },
    },
    mcpu: { v2: 'x86_64_v2', v3: 'x86_64_v3', v4: 'x86_64_v4' },
  },
  arm64: { cpu: 'aarch64', abi: { musl: same('musl'), glibc: same('gnu') }, mcpu: {} },
  arm: {
    cpu: 'arm',
    abi: {
      musl: { v5: 'musleabi', v6: 'musleabihf', v7: 'musleabihf' },
      glibc: { v5: 'gnueabi', v6: 'gnueabihf', v7: 'gnueabihf' },
    },
    mcpu: { v5: 'arm926ej_s', v6: 'arm1176jzf_s', v7: 'generic+v7a+vfp3d16-neon-d32' },
  },
  '386': { cpu: 'x86', abi: { musl: same('musl'), glibc: same('gnu') }, mcpu: { '': 'pentium4' } },
  ppc64le: {
    cpu: 'powerpc64le',
    abi: { musl: same('musl'), glibc: same('gnu') },
    mcpu: { '': 'pwr8' },
  },
  s390x: { cpu: 's390x', abi: { musl: same('musl'), glibc: same('gnu') }, mcpu: {} },
  riscv64: { cpu: 'riscv64', abi: { musl: same('musl'), glibc: same('gnu') }, mcpu: {} },
  mips64le: {
    cpu: 'mips64el',
    abi: { musl: same('muslabi64'), glibc: same('gnuabi64') },
    mcpu: {},
  },
  loong64: { cpu: 'loongarch64', abi: { musl: same('musl'), glibc: same('gnu') }, mcpu: {} },
});

/** The zig target of one platform and C library. */
export interface ZigTarget {
  /** `-target` of `zig cc`: `aarch64-linux-musl`, `arm-linux-gnueabihf`. */
  readonly triple: string;
  /** `-mcpu` of `zig cc`, when the platform's level is above zig's baseline. */
  readonly mcpu?: string;
  /** The arguments after `zig cc` / `zig c++`: `-target <triple>` and `-mcpu=<model>`. */
  readonly args: readonly string[];
}

/**
 * The zig target that compiles C for a platform against a C library: `linux/arm/v7` with
 * musl → `arm-linux-musleabihf -mcpu=generic+v7a+vfp3d16-neon-d32`. Throws PlatformError naming the
 * platform when it is not a crossdock platform or zig has no target for it.
 */
export function zigTarget(platform: Platform, libc: CLibrary): ZigTarget {
  const { os, architecture, variant = '' } = canonicalPlatform(platform);
  const row = ZIG_ARCHITECTURES[architecture];
  const abi = row?.abi[libc]?.[variant];
  if (row === undefined || abi === undefined) {
    const name = formatPlatform(platform);
    throw new PlatformError(
      name,
      'architecture',
      `zig has no ${libc} C target for ${name}; build it with cgo: false, or set cc and cxx to a C cross compiler for it`,
      Object.keys(ZIG_ARCHITECTURES),
    );
  }
  const triple = `${row.cpu}-${os}-${abi}`;
  const mcpu = row.mcpu[variant];
  return Object.freeze({
    triple,
    ...(mcpu ? { mcpu } : {}),
    args: Object.freeze(['-target', triple, ...(mcpu ? [`-mcpu=${mcpu}`] : [])]),
  });
}

/**
 * The GNU target triple of a platform and C library, as cross compilers are named
 * (`aarch64-linux-gnu-gcc`, `arm-linux-musleabihf-gcc`) and Debian's multiarch paths read:
 * the zig triple with 32-bit x86 spelled `i686`.
 */
export function gnuTriple(platform: Platform, libc: CLibrary): string {
  return zigTarget(platform, libc).triple.replace(/^x86-/, 'i686-');
}
