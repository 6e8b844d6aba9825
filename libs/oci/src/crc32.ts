import * as zlib from 'node:zlib';

/**
 * CRC-32 (the gzip trailer's) of `bytes`, continuing from `initial` (the CRC-32 of the bytes
 * before them): zlib's (Node >= 20.15), else a table-driven one.
 */
export function crc32(bytes: Uint8Array, initial = 0): number {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(bytes, initial) >>> 0;
  let crc = (initial ^ 0xffffffff) >>> 0;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();
