import { canonicalPlatform } from './parse';
import type { Platform } from './platform';

/** What the ELF header of a Linux executable built for a platform must say. */
export interface ElfExpectation {
  /** e_machine. */
  readonly machine: number;
  /** The EM_* constant's name, for messages. */
  readonly machineName: string;
  /** EI_CLASS: 32- or 64-bit. */
  readonly elfClass: 32 | 64;
  /** EI_DATA. */
  readonly byteOrder: 'little' | 'big';
  /**
   * arm only: whether Go compiles the platform for hardware floating point (VFP). Go's
   * default is soft-float for GOARM=5 and hard-float for GOARM=6 and 7, so v5 → false,
   * v6 and v7 → true. This is NOT in the header of a Go binary linked by Go's own linker:
   * with Go 1.26, e_flags is 0x05000002 (EABI version 5, entry point valid) for every GOARM,
   * soft or hard, with neither EF_ARM_ABI_FLOAT_HARD (0x400) nor EF_ARM_ABI_FLOAT_SOFT
   * (0x200) set. A checker must therefore not require 0x400; it may reject a hard-float
   * platform's binary whose e_flags carries 0x200 (one linked externally against a
   * soft-float libc).
   */
  readonly armHardFloat?: boolean;
}

type Row = Omit<ElfExpectation, 'armHardFloat'>;

/** The ELF header values per architecture (EM_* numbers from the System V ABI and elf.h). */
export const ELF_MACHINES: Readonly<Record<string, Row>> = Object.freeze({
  amd64: { machine: 62, machineName: 'EM_X86_64', elfClass: 64, byteOrder: 'little' },
  arm64: { machine: 183, machineName: 'EM_AARCH64', elfClass: 64, byteOrder: 'little' },
  arm: { machine: 40, machineName: 'EM_ARM', elfClass: 32, byteOrder: 'little' },
  '386': { machine: 3, machineName: 'EM_386', elfClass: 32, byteOrder: 'little' },
  ppc64le: { machine: 21, machineName: 'EM_PPC64', elfClass: 64, byteOrder: 'little' },
  s390x: { machine: 22, machineName: 'EM_S390', elfClass: 64, byteOrder: 'big' },
  riscv64: { machine: 243, machineName: 'EM_RISCV', elfClass: 64, byteOrder: 'little' },
  mips64le: { machine: 8, machineName: 'EM_MIPS', elfClass: 64, byteOrder: 'little' },
  loong64: { machine: 258, machineName: 'EM_LOONGARCH', elfClass: 64, byteOrder: 'little' },
});

/**
 * The ELF machine, class, byte order (and, for arm, float ABI) that an executable for the
 * platform must have. Throws PlatformError for a platform crossdock does not support.
 */
export function elfExpectation(platform: Platform): ElfExpectation {
  const { architecture, variant } = canonicalPlatform(platform);
  const row = ELF_MACHINES[architecture]!;
  return Object.freeze(
    architecture === 'arm' ? { ...row, armHardFloat: variant !== 'v5' } : { ...row },
  );
}
