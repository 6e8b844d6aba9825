import { INTERP_MAX } from './constants';
import { ElfFormatError, formatOffset } from './errors';
import { fieldsOf } from './fields';
import { segmentTypeName } from './names';
import type { ElfHeader, ProgramHeader } from './types';

/** Field offsets within one program header entry; the 64-bit layout moves p_flags up. */
const LAYOUTS = {
  32: { type: 0, offset: 4, vaddr: 8, paddr: 12, filesz: 16, memsz: 20, flags: 24, align: 28 },
  64: { type: 0, flags: 4, offset: 8, vaddr: 16, paddr: 24, filesz: 32, memsz: 40, align: 48 },
} as const;

/**
 * The program headers in `table`, which holds `count` entries of header.phentsize bytes
 * read from header.phoff.
 */
export function parseProgramHeaders(
  table: Uint8Array,
  header: ElfHeader,
  count: number,
): ProgramHeader[] {
  const layout = LAYOUTS[header.elfClass];
  const f = fieldsOf(table, header.byteOrder, header.elfClass);
  return Array.from({ length: count }, (_, index): ProgramHeader => {
    const at = index * header.phentsize;
    const type = f.u32(at + layout.type);
    return {
      index,
      type,
      typeName: segmentTypeName(type),
      offset: f.word(at + layout.offset),
      vaddr: f.word(at + layout.vaddr),
      paddr: f.word(at + layout.paddr),
      filesz: f.word(at + layout.filesz),
      memsz: f.word(at + layout.memsz),
      flags: f.u32(at + layout.flags),
      align: f.word(at + layout.align),
    };
  });
}

/**
 * Checks a PT_INTERP segment's size the way Linux does (fs/binfmt_elf.c): at least 2 and
 * at most PATH_MAX bytes, so garbage never makes us read a huge block.
 */
export function checkInterpreterSegment(segment: ProgramHeader): void {
  if (segment.filesz < 2 || segment.filesz > INTERP_MAX) {
    throw new ElfFormatError(
      `bad PT_INTERP (program header ${segment.index}) at offset ${formatOffset(segment.offset)}: expected a loader path of 2 to ${INTERP_MAX} bytes, found p_filesz ${segment.filesz}`,
      segment.offset,
    );
  }
}

/** The loader path in a PT_INTERP segment's bytes, which must end in NUL as the kernel requires. */
export function decodeInterpreter(bytes: Uint8Array, segment: ProgramHeader): string {
  if (bytes[bytes.length - 1] !== 0) {
    throw new ElfFormatError(
      `bad PT_INTERP (program header ${segment.index}) at offset ${formatOffset(segment.offset)}: expected a NUL-terminated path of ${segment.filesz} bytes, found no NUL at its end`,
      segment.offset + segment.filesz - 1,
    );
  }
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(bytes.subarray(0, end));
}
