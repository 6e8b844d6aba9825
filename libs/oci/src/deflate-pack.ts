import { crc32 } from './crc32';
import type { DeflatedPiece } from './gzip';
import { joinSegments, type Segments } from './segments';

/** First bytes of a pack; another version of the format is not read. */
const MAGIC = new TextEncoder().encode('crossdock deflate pieces 3\n');

/** Keys are text: one encoder and decoder for all (making one costs more than a key). */
const keyEncoder = new TextEncoder();
const keyDecoder = new TextDecoder();

/** Each piece's head: key length, deflate length, the piece's CRC-32, the check of both. */
const HEAD = 16;

/** A piece read from a pack: its check is the CRC-32 of its CRC field and its deflate bytes. */
export interface PackedPiece extends DeflatedPiece {
  readonly check: number;
}

/** The pieces whose check {@link packedPieceIntact} verified: their check is written again as it was. */
const verified = new WeakSet<PackedPiece>();

/**
 * Deflate pieces as one file's bytes (the cache gzipDeterministic reuses, kept between
 * builds): for each piece its key, its CRC-32, a check over both and its deflate bytes. A
 * piece read from a pack and verified keeps its check; the others' is computed.
 */
export function encodeDeflatePack(pieces: ReadonlyMap<string, DeflatedPiece>): Uint8Array {
  return joinSegments(deflatePackSegments(pieces));
}

/** {@link encodeDeflatePack}'s bytes as consecutive parts, to be written without a copy into one array. */
export function deflatePackSegments(pieces: ReadonlyMap<string, DeflatedPiece>): Segments {
  const parts: Uint8Array[] = [MAGIC];
  for (const [key, piece] of pieces) {
    const keyBytes = keyEncoder.encode(key);
    const head = new Uint8Array(HEAD);
    const view = new DataView(head.buffer);
    view.setUint32(0, keyBytes.byteLength);
    view.setUint32(4, piece.deflated.byteLength);
    view.setUint32(8, piece.crc >>> 0);
    const check = verified.has(piece as PackedPiece)
      ? (piece as PackedPiece).check
      : crc32(piece.deflated, crc32(head.subarray(8, 12)));
    view.setUint32(12, check);
    parts.push(head, keyBytes, piece.deflated);
  }
  return parts;
}

/**
 * The pieces of a pack, by key; undefined when the bytes are not a whole pack of this format
 * (a torn or foreign file). Each piece is checked when it is used ({@link packedPieceIntact}),
 * not here: a build reads the pieces of its last build that it needs.
 */
export function decodeDeflatePack(bytes: Uint8Array): Map<string, PackedPiece> | undefined {
  if (!startsWith(bytes, MAGIC)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pieces = new Map<string, PackedPiece>();
  let at = MAGIC.byteLength;
  while (at < bytes.byteLength) {
    if (at + HEAD > bytes.byteLength) return undefined;
    const keyLength = view.getUint32(at);
    const dataLength = view.getUint32(at + 4);
    const crc = view.getUint32(at + 8);
    const check = view.getUint32(at + 12);
    const keyAt = at + HEAD;
    const dataAt = keyAt + keyLength;
    const end = dataAt + dataLength;
    if (end > bytes.byteLength) return undefined;
    const key = keyDecoder.decode(bytes.subarray(keyAt, dataAt));
    pieces.set(key, { deflated: bytes.subarray(dataAt, end), crc, check });
    at = end;
  }
  return pieces;
}

/** True when a piece read from a pack is as it was written (its check matches): only then may it be used. */
export function packedPieceIntact(piece: PackedPiece): boolean {
  if (verified.has(piece)) return true;
  const field = new Uint8Array(4);
  new DataView(field.buffer).setUint32(0, piece.crc >>> 0);
  if (crc32(piece.deflated, crc32(field)) !== piece.check) return false;
  verified.add(piece);
  return true;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.byteLength >= prefix.byteLength && prefix.every((byte, i) => bytes[i] === byte);
}
