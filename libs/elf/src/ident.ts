import {
  EI_ABIVERSION,
  EI_CLASS,
  EI_DATA,
  EI_NIDENT,
  EI_OSABI,
  EI_VERSION,
  ELF_MAGIC,
  ELFCLASS32,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFDATA2MSB,
  EV_CURRENT,
} from './constants';
import { ElfFormatError, formatBytes, formatOffset, requireRange } from './errors';
import type { ElfIdent } from './types';

function hexByte(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`;
}

function checkMagic(prefix: Uint8Array): void {
  const found = prefix.subarray(0, ELF_MAGIC.length);
  if (found.length > 0 && found.every((b, i) => b === ELF_MAGIC[i])) return;
  const what = found.length === 0 ? 'an empty file' : formatBytes(found);
  throw new ElfFormatError(
    `not an ELF file: expected magic ${formatBytes(Uint8Array.from(ELF_MAGIC))} at offset 0, found ${what}`,
    0,
  );
}

/**
 * The identification bytes (e_ident) of an ELF file. `prefix` holds the first
 * min(16, fileSize) bytes of the file or more. The magic is checked before the
 * length, so a short non-ELF file says "not an ELF file" rather than "truncated".
 */
export function parseIdent(prefix: Uint8Array, fileSize: number): ElfIdent {
  checkMagic(prefix);
  requireRange('ELF identification', 0, EI_NIDENT, fileSize);
  const elfClass = prefix[EI_CLASS];
  if (elfClass !== ELFCLASS32 && elfClass !== ELFCLASS64) {
    throw new ElfFormatError(
      `bad ELF class byte at offset ${formatOffset(EI_CLASS)}: expected 1 (32-bit) or 2 (64-bit), found ${hexByte(elfClass)}`,
      EI_CLASS,
    );
  }
  const data = prefix[EI_DATA];
  if (data !== ELFDATA2LSB && data !== ELFDATA2MSB) {
    throw new ElfFormatError(
      `bad ELF data byte at offset ${formatOffset(EI_DATA)}: expected 1 (little-endian) or 2 (big-endian), found ${hexByte(data)}`,
      EI_DATA,
    );
  }
  const version = prefix[EI_VERSION];
  if (version !== EV_CURRENT) {
    throw new ElfFormatError(
      `bad ELF version byte at offset ${formatOffset(EI_VERSION)}: expected 1 (EV_CURRENT), found ${hexByte(version)}`,
      EI_VERSION,
    );
  }
  return {
    elfClass: elfClass === ELFCLASS32 ? 32 : 64,
    byteOrder: data === ELFDATA2LSB ? 'little' : 'big',
    osAbi: prefix[EI_OSABI],
    abiVersion: prefix[EI_ABIVERSION],
  };
}
