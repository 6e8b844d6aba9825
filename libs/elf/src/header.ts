import { EV_CURRENT } from './constants';
import { ElfFormatError, formatOffset } from './errors';
import { fieldsOf } from './fields';
import type { ElfHeader, ElfIdent } from './types';

/** Byte offsets of the ELF header fields after e_ident, which differ by class. */
interface HeaderLayout {
  readonly size: number;
  readonly entry: number;
  readonly phoff: number;
  readonly shoff: number;
  readonly flags: number;
  readonly phentsize: number;
  readonly phnum: number;
  readonly shentsize: number;
  readonly shnum: number;
}

const LAYOUTS: Readonly<Record<32 | 64, HeaderLayout>> = {
  32: {
    size: 52,
    entry: 24,
    phoff: 28,
    shoff: 32,
    flags: 36,
    phentsize: 42,
    phnum: 44,
    shentsize: 46,
    shnum: 48,
  },
  64: {
    size: 64,
    entry: 24,
    phoff: 32,
    shoff: 40,
    flags: 48,
    phentsize: 54,
    phnum: 56,
    shentsize: 58,
    shnum: 60,
  },
};

const E_TYPE = 16;
const E_MACHINE = 18;
const E_VERSION = 20;

/** The size of a program header entry (Elf32_Phdr / Elf64_Phdr). */
export function programHeaderSize(elfClass: 32 | 64): number {
  return elfClass === 64 ? 56 : 32;
}

/** The size of the ELF header (Elf32_Ehdr / Elf64_Ehdr). */
export function headerSize(elfClass: 32 | 64): number {
  return LAYOUTS[elfClass].size;
}

/** The offset of e_phnum, for errors about the program header count. */
export function phnumOffset(elfClass: 32 | 64): number {
  return LAYOUTS[elfClass].phnum;
}

/**
 * The ELF header, from `bytes` starting at offset 0 and holding at least
 * headerSize(ident.elfClass) bytes.
 */
export function parseHeader(bytes: Uint8Array, ident: ElfIdent): ElfHeader {
  const layout = LAYOUTS[ident.elfClass];
  const f = fieldsOf(bytes, ident.byteOrder, ident.elfClass);
  const version = f.u32(E_VERSION);
  if (version !== EV_CURRENT) {
    throw new ElfFormatError(
      `bad e_version at offset ${formatOffset(E_VERSION)}: expected 1 (EV_CURRENT), found ${version}`,
      E_VERSION,
    );
  }
  const header: ElfHeader = {
    ...ident,
    typeCode: f.u16(E_TYPE),
    machine: f.u16(E_MACHINE),
    entry: f.word(layout.entry),
    phoff: f.word(layout.phoff),
    shoff: f.word(layout.shoff),
    flags: f.u32(layout.flags),
    phentsize: f.u16(layout.phentsize),
    phnum: f.u16(layout.phnum),
    shentsize: f.u16(layout.shentsize),
    shnum: f.u16(layout.shnum),
  };
  const wanted = programHeaderSize(ident.elfClass);
  if (header.phnum > 0 && header.phentsize < wanted) {
    throw new ElfFormatError(
      `bad e_phentsize at offset ${formatOffset(layout.phentsize)}: expected at least ${wanted} for a ${ident.elfClass}-bit file, found ${header.phentsize}`,
      layout.phentsize,
    );
  }
  return header;
}
