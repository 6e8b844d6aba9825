import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { constants, deflateRaw as deflateRawCallback, gunzip as gunzipCallback } from 'node:zlib';
import { pieceEnds } from './content-pieces';
import { crc32, crc32Combine } from './crc32';
import { ImageModelError } from './errors';
import { joinSegments, segmentsOf, sliceSegments, type Segments } from './segments';

const deflateRawAsync = promisify(deflateRawCallback);
const gunzipAsync = promisify(gunzipCallback);

/** The compression level crossdock uses when none is given (zlib's default). */
export const DEFAULT_COMPRESSION_LEVEL = 6;

/**
 * memLevel 9, zlib's largest hash table: 10-14 % less time at level 1 on Go binaries (7 % at
 * level 6), for sizes within 0.3 % of memLevel 8's.
 */
const MEM_LEVEL = 9;

/** One piece of a gzip stream: its deflate bytes, and the CRC-32 of the bytes they hold. */
export interface DeflatedPiece {
  readonly deflated: Uint8Array;
  readonly crc: number;
}

/**
 * Pieces compressed before, by {@link deflatePieceKey}: a Map will do. Gzip takes a piece
 * from it instead of compressing it again (and its CRC-32 instead of reading it again), and
 * puts every piece of the new stream in (reused or new), so a cache that keeps what was put
 * has the pieces of the last stream. What it returns must be what it was given for that key.
 */
export interface DeflateCache {
  get(key: string): DeflatedPiece | undefined;
  set(key: string, piece: DeflatedPiece): void;
}

/**
 * Gzip-compresses bytes deterministically: no file name, mtime 0, a fixed OS byte, so the
 * output depends only on the input, the level and the zlib build ({@link gzipImplementation};
 * the uncompressed digest, a layer's diff_id, is stable everywhere).
 *
 * The deflate stream is made of content-defined pieces (content-pieces.ts), each compressed
 * on its own and ending on a byte boundary (zlib's sync flush), then one empty final block:
 * any gzip reader reads it as one stream (pigz writes the same shape), about 0.5 % larger
 * than one whole stream on Go binaries. The pieces compress side by side on the thread pool,
 * and a piece found in `cache` is not compressed again: after a one-line edit most of a Go
 * binary's pieces are those of its last build.
 */
export async function gzipDeterministic(
  input: Uint8Array | Segments,
  level: number = DEFAULT_COMPRESSION_LEVEL,
  cache?: DeflateCache,
): Promise<Uint8Array> {
  return joinSegments(await gzipSegments(input, level, cache));
}

/**
 * {@link gzipDeterministic}'s stream as its parts (header, each piece's deflate bytes, the
 * final block, trailer), not copied into one array: a layer's blob is hashed and written
 * from them.
 */
export async function gzipSegments(
  input: Uint8Array | Segments,
  level: number = DEFAULT_COMPRESSION_LEVEL,
  cache?: DeflateCache,
): Promise<Segments> {
  checkCompressionLevel(level);
  const bytes = segmentsOf(input);
  const pieces: Promise<DeflatedPiece>[] = [];
  const keys: string[] = [];
  const lengths: number[] = [];
  let start = 0;
  for (const end of pieceEnds(bytes)) {
    const piece = sliceSegments(bytes, start, end);
    lengths.push(end - start);
    start = end;
    if (!cache) {
      pieces.push(deflatePiece(piece, level));
      continue;
    }
    const key = deflatePieceKey(piece, level);
    keys.push(key);
    const known = cache.get(key);
    pieces.push(known ? Promise.resolve(known) : deflatePiece(piece, level));
  }
  const deflated = await Promise.all(pieces);
  for (const [i, key] of keys.entries()) cache!.set(key, deflated[i]!);
  // The stream's CRC-32 from its pieces' (a reused piece's bytes are not read for it).
  const crc = deflated.reduce((sum, piece, i) => crc32Combine(sum, piece.crc, lengths[i]!), 0);
  return gzipMember(
    deflated.map((piece) => piece.deflated),
    { crc, length: start },
    level,
  );
}

/**
 * What identifies a piece's deflate bytes: the zlib build, memLevel, level and the piece's
 * sha256; the same key always stands for the same bytes.
 */
export function deflatePieceKey(piece: Uint8Array, level: number): string {
  const digest = createHash('sha256').update(piece).digest('hex');
  return `${gzipImplementation()} m${MEM_LEVEL} l${level} ${digest}`;
}

/** One piece, compressed with no history, ending on a byte boundary and not final. */
async function deflatePiece(piece: Uint8Array, level: number): Promise<DeflatedPiece> {
  const compressing = deflateRawAsync(piece, {
    level,
    memLevel: MEM_LEVEL,
    finishFlush: constants.Z_SYNC_FLUSH,
    // One output buffer per piece: each full buffer is a round trip to the main thread.
    chunkSize: Math.max(piece.byteLength + 1024, 16 * 1024),
  });
  const crc = crc32(piece); // while the thread pool compresses
  const out = await compressing;
  return { deflated: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), crc };
}

/** Gzip header: no flags, mtime 0, zlib's extra flags for the level, OS "unknown" (as Go's gzip writes). */
function gzipHeader(level: number): Uint8Array {
  const extraFlags = level === constants.Z_BEST_COMPRESSION ? 2 : level < 2 ? 4 : 0;
  return Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, extraFlags, 0xff);
}

/** An empty final block with fixed Huffman codes: the end of the deflate stream. */
const FINAL_BLOCK = Uint8Array.of(0x03, 0x00);

/** One gzip member (RFC 1952): header, the pieces' deflate bytes, the final block, CRC-32, length. */
function gzipMember(
  deflated: readonly Uint8Array[],
  input: { readonly crc: number; readonly length: number },
  level: number,
): Segments {
  const trailer = new Uint8Array(8);
  const view = new DataView(trailer.buffer);
  view.setUint32(0, input.crc, true);
  view.setUint32(4, input.length % 2 ** 32, true);
  return [gzipHeader(level), ...deflated, FINAL_BLOCK, trailer];
}

/** Decompresses gzip bytes. */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await gunzipAsync(bytes));
}

/** True when `bytes` start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * What produced the compressed bytes (`node-zlib/<version>`): compressed layer digests are
 * reproducible for the same value, so callers can declare it as a cache input.
 */
export function gzipImplementation(): string {
  return `node-zlib/${process.versions.zlib}`;
}

/** Throws unless `level` is a zlib compression level (0..9). */
export function checkCompressionLevel(level: number): void {
  if (
    !Number.isInteger(level) ||
    level < constants.Z_NO_COMPRESSION ||
    level > constants.Z_BEST_COMPRESSION
  ) {
    throw new ImageModelError(
      `compression level ${String(level)} is invalid; use an integer from 0 (none) to 9 (best)`,
    );
  }
}
