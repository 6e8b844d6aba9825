import { createHash, webcrypto } from 'node:crypto';

const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

/** The sha256 digest of some bytes, in OCI form (`sha256:<hex>`). */
export function sha256Digest(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * The same digest, computed on libuv's thread pool (WebCrypto's digest runs there) instead
 * of the main thread: several layers' digests, and their gzip, then use every core.
 */
export async function sha256DigestAsync(bytes: Uint8Array): Promise<string> {
  const digest = await webcrypto.subtle.digest('SHA-256', bytes);
  return `sha256:${Buffer.from(digest).toString('hex')}`;
}

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
