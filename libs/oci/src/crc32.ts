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

/** The CRC-32 polynomial, reflected. */
const POLY = 0xedb88320;

/** a * b modulo the CRC polynomial, both reflected (zlib's multmodp). */
function multModP(a: number, b: number): number {
  let product = 0;
  for (let m = 0x80000000; m !== 0; m >>>= 1) {
    if (a & m) {
      product ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return product >>> 0;
}

/** x^(2^k) modulo the polynomial, for k = 0..31 (zlib's x2n_table). */
const X2N = (() => {
  const table = new Uint32Array(32);
  let p = 0x40000000; // x^1
  table[0] = p;
  for (let k = 1; k < 32; k++) table[k] = p = multModP(p, p);
  return table;
})();

/**
 * The CRC-32 of two byte runs one after the other, from the CRC-32 of each and the second's
 * length (zlib's crc32_combine): a stream's CRC from its pieces' without reading them again.
 */
export function crc32Combine(first: number, second: number, secondLength: number): number {
  // x^(8 * secondLength) modulo the polynomial, from the bits of the length.
  let power = 0x80000000; // x^0
  for (let n = secondLength, k = 3; n > 0; n = Math.floor(n / 2), k++)
    if (n % 2 === 1) power = multModP(X2N[k & 31]!, power);
  return (multModP(power, first) ^ second) >>> 0;
}
