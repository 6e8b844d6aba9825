/** Fixed-width unsigned reads from one chunk of an ELF file, in the file's byte order. */
export interface Fields {
  u8(offset: number): number;
  u16(offset: number): number;
  u32(offset: number): number;
  /** A 64-bit value as a number (exact up to 2^53). */
  u64(offset: number): number;
  /** An address or offset: 4 bytes in a 32-bit file, 8 in a 64-bit one. */
  word(offset: number): number;
}

/**
 * Field readers over `chunk`. Offsets are relative to the chunk; callers check bounds
 * first, so a RangeError here is a bug in this library, not bad input.
 */
export function fieldsOf(
  chunk: Uint8Array,
  byteOrder: 'little' | 'big',
  elfClass: 32 | 64,
): Fields {
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const little = byteOrder === 'little';
  const u32 = (offset: number): number => view.getUint32(offset, little);
  const u64 = (offset: number): number => Number(view.getBigUint64(offset, little));
  return {
    u8: (offset) => view.getUint8(offset),
    u16: (offset) => view.getUint16(offset, little),
    u32,
    u64,
    word: elfClass === 64 ? u64 : u32,
  };
}
