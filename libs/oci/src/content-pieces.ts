/**
 * Content-defined pieces: where a byte stream is cut depends on the 32 bytes before each
 * cut, not on offsets, so an edit that shifts a binary's code moves the cuts with it and the
 * pieces around the edit come out the same as before. Gzip compresses each piece on its own
 * (gzip.ts): the same piece gives the same deflate bytes, which an earlier build can lend.
 *
 * The cut points are part of every compressed layer's bytes: changing a constant here
 * changes every image digest, as a zlib change does.
 */

/** No piece is shorter (except the last), so a cut never follows a cut closely. */
export const MIN_PIECE = 64 * 1024;
/** No piece is longer: a stretch of the stream without a cut point still splits. */
export const MAX_PIECE = 1024 * 1024;
/** A cut where the rolling hash's top 16 bits are 0: a piece averages MIN_PIECE + 64 KiB, 128 KiB. */
const CUT_SHIFT = 16;

/** The gear table: one fixed pseudo-random 32-bit value per byte (xorshift32 from a fixed seed). */
const GEAR = (() => {
  const table = new Uint32Array(256);
  let state = 0x9e3779b9;
  for (let i = 0; i < table.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    table[i] = state >>> 0;
  }
  return table;
})();

/** The end offset of every piece of `bytes`, in order (the last is `bytes.byteLength`; none for no bytes). */
export function pieceEnds(bytes: Uint8Array): number[] {
  // Locals: the bundler turns module constants into variables the loop would load each time.
  const gear = GEAR;
  const [min, max] = [MIN_PIECE, MAX_PIECE];
  const ends: number[] = [];
  const length = bytes.byteLength;
  for (let start = 0; start < length;) {
    const limit = Math.min(length, start + max);
    let end = limit;
    let hash = 0;
    // The hash of the 32 bytes before i (each byte's value shifts out after 32 steps).
    for (let i = start + min; i < limit; i++) {
      hash = ((hash << 1) + gear[bytes[i]!]!) | 0;
      if (hash >>> CUT_SHIFT === 0) {
        end = i + 1;
        break;
      }
    }
    ends.push(end);
    start = end;
  }
  return ends;
}
