/**
 * Content-defined pieces: where a byte stream is cut depends on the 32 bytes before each
 * cut, not on offsets, so an edit that shifts a binary's code moves the cuts with it and the
 * pieces around the edit come out the same as before. Gzip compresses each piece on its own
 * (gzip.ts): the same piece gives the same deflate bytes, which an earlier build can lend.
 *
 * The cut points are part of every compressed layer's bytes: changing a constant here
 * changes every image digest, as a zlib change does.
 */

import { segmentsLength, segmentsOf, type Segments } from './segments';

/** No piece is shorter (except the last), so a cut never follows a cut closely. */
export const MIN_PIECE = 64 * 1024;
/** No piece is longer: a stretch of the stream without a cut point still splits. */
export const MAX_PIECE = 1024 * 1024;
/** A cut where the rolling hash's top 16 bits are 0: a piece averages MIN_PIECE + 64 KiB, 128 KiB. */
const CUT_SHIFT = 16;

/**
 * The gear table: one fixed pseudo-random 32-bit value per byte (xorshift32 from a fixed
 * seed), held as signed 32-bit integers so the scan adds in int32 (an unsigned table made V8
 * add in doubles: 12 % slower).
 */
const GEAR = (() => {
  const table = new Int32Array(256);
  let state = 0x9e3779b9;
  for (let i = 0; i < table.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    table[i] = state | 0;
  }
  return table;
})();

/**
 * The end offset of every piece of the bytes, in order (the last is their length; none for
 * no bytes). The same bytes give the same ends whether they come as one array or in segments.
 */
export function pieceEnds(input: Uint8Array | Segments): number[] {
  // Locals: the bundler turns module constants into variables the loop would load each time.
  const gear = GEAR;
  const [min, max] = [MIN_PIECE, MAX_PIECE];
  const segments = segmentsOf(input);
  const length = segmentsLength(segments);
  const ends: number[] = [];
  // The segment the scan is in, and its first byte's offset: the scan only moves forward.
  let segment = 0;
  let base = 0;
  for (let start = 0; start < length;) {
    const limit = Math.min(length, start + max);
    let end = limit;
    // The hash of the 32 bytes before each position (each byte's value shifts out after 32 steps).
    let hash = 0;
    let at = start + min;
    scan: while (at < limit) {
      while (base + segments[segment]!.byteLength <= at) base += segments[segment++]!.byteLength;
      const bytes = segments[segment]!;
      const stop = Math.min(limit, base + bytes.byteLength) - base;
      for (let i = at - base; i < stop; i++) {
        hash = ((hash << 1) + gear[bytes[i]!]!) | 0;
        if (hash >>> CUT_SHIFT === 0) {
          end = base + i + 1;
          break scan;
        }
      }
      at = base + stop;
    }
    ends.push(end);
    start = end;
  }
  return ends;
}
