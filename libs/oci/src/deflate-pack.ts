import { crc32 } from './crc32';

/** First bytes of a pack; another version of the format is not read. */
const MAGIC = new TextEncoder().encode('crossdock deflate pieces 2\n');

/** Keys are text: one encoder and decoder for all (making one costs more than a key). */
const keyEncoder = new TextEncoder();
const keyDecoder = new TextDecoder();

/**
 * Deflate pieces as one file's bytes (the cache gzipDeterministic reuses, kept between
 * builds): for each piece its key, the CRC-32 of its deflate bytes and the bytes.
 */
export function encodeDeflatePack(pieces: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = [MAGIC];
  for (const [key, deflated] of pieces) {
    const keyBytes = keyEncoder.encode(key);
    const head = new Uint8Array(12);
    const view = new DataView(head.buffer);
    view.setUint32(0, keyBytes.byteLength);
    view.setUint32(4, deflated.byteLength);
    view.setUint32(8, crc32(deflated));
    parts.push(head, keyBytes, deflated);
  }
  return Buffer.concat(parts);
}

/**
 * The pieces of a pack, each checked against its recorded CRC-32; undefined when the bytes
 * are not a whole pack of this format or any piece does not match (a torn or damaged file
 * is never reused).
 */
export function decodeDeflatePack(bytes: Uint8Array): Map<string, Uint8Array> | undefined {
  if (!startsWith(bytes, MAGIC)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pieces = new Map<string, Uint8Array>();
  let at = MAGIC.byteLength;
  while (at < bytes.byteLength) {
    if (at + 12 > bytes.byteLength) return undefined;
    const keyLength = view.getUint32(at);
    const dataLength = view.getUint32(at + 4);
    const recorded = view.getUint32(at + 8);
    const keyAt = at + 12;
    const dataAt = keyAt + keyLength;
    at = dataAt + dataLength;
    if (at > bytes.byteLength) return undefined;
    const deflated = bytes.subarray(dataAt, at);
    if (crc32(deflated) !== recorded) return undefined;
    pieces.set(keyDecoder.decode(bytes.subarray(keyAt, dataAt)), deflated);
  }
  return pieces;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.byteLength >= prefix.byteLength && prefix.every((byte, i) => bytes[i] === byte);
}
