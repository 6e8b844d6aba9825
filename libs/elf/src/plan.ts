import { PN_XNUM, PT_INTERP } from './constants';
import { ElfFormatError, formatOffset, requireRange, truncatedError } from './errors';
import { fieldsOf } from './fields';
import { headerSize, parseHeader, phnumOffset } from './header';
import { parseIdent } from './ident';
import { assembleInfo } from './info';
import { checkInterpreterSegment, decodeInterpreter, parseProgramHeaders } from './segments';
import type { ElfHeader, ElfInfo } from './types';

/** A request for `length` bytes at `offset`; the plan only asks for ranges inside the file. */
export interface ReadRequest {
  readonly offset: number;
  readonly length: number;
}

/**
 * The reads that decode an ELF file, in order: header, program header table, PT_INTERP
 * string (and section header 0 when e_phnum is PN_XNUM). A generator, so the same logic
 * serves a buffer (parseElf) and a FileHandle (readElfFile): the driver answers each
 * yielded request with exactly that many bytes. Every range is checked against
 * `fileSize` before it is requested, so a bad file fails here with an ElfFormatError.
 */
export function* elfReadPlan(fileSize: number): Generator<ReadRequest, ElfInfo, Uint8Array> {
  const prefix = yield { offset: 0, length: Math.min(64, fileSize) };
  const ident = parseIdent(prefix, fileSize);
  requireRange(`${ident.elfClass}-bit ELF header`, 0, headerSize(ident.elfClass), fileSize);
  const header = parseHeader(prefix, ident);

  const count = header.phnum === PN_XNUM ? yield* extendedCount(header, fileSize) : header.phnum;
  if (count > 0) checkTableRange(header, count, fileSize);
  const table =
    count > 0
      ? yield { offset: header.phoff, length: count * header.phentsize }
      : new Uint8Array(0);
  const programHeaders = parseProgramHeaders(table, header, count);

  const interp = programHeaders.find((p) => p.type === PT_INTERP);
  if (interp === undefined) return assembleInfo(header, programHeaders, undefined);
  checkInterpreterSegment(interp);
  requireRange(
    `PT_INTERP string (program header ${interp.index})`,
    interp.offset,
    interp.filesz,
    fileSize,
  );
  const bytes = yield { offset: interp.offset, length: interp.filesz };
  return assembleInfo(header, programHeaders, decodeInterpreter(bytes, interp));
}

/** Names the first program header that does not fit in the file, if any. */
function checkTableRange(header: ElfHeader, count: number, fileSize: number): void {
  if (header.phoff >= fileSize) {
    throw new ElfFormatError(
      `program header table out of range: e_phoff ${formatOffset(header.phoff)} is at or past the end of the file (${fileSize} bytes); the file is truncated or e_phoff is corrupt`,
      header.phoff,
    );
  }
  if (header.phoff + count * header.phentsize <= fileSize) return;
  const first = Math.floor((fileSize - header.phoff) / header.phentsize);
  const at = header.phoff + first * header.phentsize;
  throw truncatedError(`program header ${first}`, at, header.phentsize, fileSize);
}

/** With e_phnum = PN_XNUM, the real count is sh_info of section header 0 (gABI "Extended numbering"). */
function* extendedCount(
  header: ElfHeader,
  fileSize: number,
): Generator<ReadRequest, number, Uint8Array> {
  if (header.shoff === 0) {
    const at = phnumOffset(header.elfClass);
    throw new ElfFormatError(
      `bad e_phnum at offset ${formatOffset(at)}: PN_XNUM (0xffff) says the count is in section header 0, but e_shoff is 0`,
      at,
    );
  }
  const shInfo = header.shoff + (header.elfClass === 64 ? 44 : 28);
  requireRange('section header 0 sh_info (extended e_phnum)', shInfo, 4, fileSize);
  const bytes = yield { offset: shInfo, length: 4 };
  return fieldsOf(bytes, header.byteOrder, header.elfClass).u32(0);
}
