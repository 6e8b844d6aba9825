import { createHash } from 'node:crypto';
import type { Segments } from './segments';

const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

/**
 * The sha256 digest of some bytes (or of segments read as one sequence), in OCI form (`sha256:<hex>`). On the main thread: with the
 * CPU's SHA instructions six 6 MB binaries take 20 ms of CPU here, where WebCrypto's digest
 * (on the thread pool) took 37-60 ms, most of it copying the input, and blocked the main
 * thread 10-38 ms doing so (Node 24).
 */
export function sha256Digest(bytes: Uint8Array | string | Segments): string {
  if (typeof bytes === 'string' || bytes instanceof Uint8Array)
    return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  let digest = segmentsDigests.get(bytes);
  if (digest === undefined) {
    const hash = createHash('sha256');
    for (const segment of bytes) hash.update(segment);
    digest = `sha256:${hash.digest('hex')}`;
    segmentsDigests.set(bytes, digest);
  }
  return digest;
}

/**
 * The digest of each segments array hashed so far, by identity: segments are not changed
 * once made (segments.ts), so a layer's blob, digested when the layer is made, is not read
 * again when the layout checks it against its descriptor (a 6-platform edit run hashed
 * 17 MB twice). The check itself still compares the digest with the descriptor's.
 */
const segmentsDigests = new WeakMap<Segments, string>();

/** True when `digest` is a well-formed sha256 OCI digest. */
export function isDigest(digest: string): boolean {
  return DIGEST_PATTERN.test(digest);
}

/** The hex part of a sha256 digest, after checking its form. */
export function digestHex(digest: string): string {
  if (!isDigest(digest))
    throw new Error(`"${digest}" is not a sha256 digest (expected sha256:<64 hex>)`);
  return digest.slice('sha256:'.length);
}
