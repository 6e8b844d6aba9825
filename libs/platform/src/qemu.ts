import { canonicalPlatform } from './parse';
import type { Platform } from './platform';

/** QEMU's name for each architecture, as in its qemu-<name> user-mode binaries. */
export const QEMU_ARCHITECTURES: Readonly<Record<string, string>> = Object.freeze({
  amd64: 'x86_64',
  arm64: 'aarch64',
  arm: 'arm',
  '386': 'i386',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  mips64le: 'mips64el',
  loong64: 'loongarch64',
});

/**
 * The base name of the qemu-user binary that runs the platform's executables:
 * `qemu-aarch64` for linux/arm64. Throws PlatformError for an unsupported platform.
 */
export function qemuUserBinary(platform: Platform): string {
  return `qemu-${QEMU_ARCHITECTURES[canonicalPlatform(platform).architecture]!}`;
}

/**
 * The base name of the statically linked qemu-user binary, as Debian's qemu-user-static
 * installs it in /usr/bin: `qemu-aarch64-static` for linux/arm64.
 */
export function qemuUserStaticBinary(platform: Platform): string {
  return `${qemuUserBinary(platform)}-static`;
}

/**
 * The `-cpu` model to give qemu-arm so that it emulates no more than the platform's level
 * (qemu's default arm CPU implements ARMv7 and more, which would let a v7 binary pass a
 * smoke run for linux/arm/v5): arm926 (ARMv5TEJ) for v5, arm1176 (ARMv6KZ with VFPv2) for
 * v6, cortex-a7 (ARMv7-A with VFPv4) for v7; undefined for every other platform.
 */
export function qemuCpu(platform: Platform): string | undefined {
  const { architecture, variant } = canonicalPlatform(platform);
  if (architecture !== 'arm') return undefined;
  return { v5: 'arm926', v6: 'arm1176', v7: 'cortex-a7' }[variant as 'v5' | 'v6' | 'v7'];
}
