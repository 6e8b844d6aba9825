import { Descriptor } from '@crossdock/oci';
import { isDigest, sha256Digest } from '@crossdock/oci';
import { repositoryScope } from './challenge';
import { Connection } from './connection';
import { RegistryError } from './errors';
import { discard, readAtMost } from './http';

/** Largest blob {@link getBlob} holds in memory when the caller gives no size. */
export const MAX_BLOB_BYTES = 2 ** 31 - 1;

/** True when `repository` has the blob (`HEAD /v2/<name>/blobs/<digest>`). */
export async function blobExists(
  conn: Connection,
  repository: string,
  digest: string,
  scopes = pullScopes(repository),
): Promise<boolean> {
  checkDigestArgument(conn, digest);
  return conn.retrying(`HEAD blob ${digest}`, async () => {
    const response = await conn.send(
      {
        kind: 'blob-head',
        method: 'HEAD',
        target: blobPath(repository, digest),
        expect: [200],
        pass: [404],
      },
      scopes,
    );
    await discard(response);
    return response.status === 200;
  });
}

/**
 * Downloads a blob and checks it: its sha256 must equal the digest and, when a descriptor
 * is given, its size the descriptor's size; otherwise a {@link RegistryError} with code
 * DIGEST_MISMATCH.
 */
export async function getBlob(
  conn: Connection,
  repository: string,
  blob: string | Descriptor,
): Promise<Uint8Array> {
  const digest = typeof blob === 'string' ? blob : blob.digest;
  const size = typeof blob === 'string' ? undefined : blob.size;
  checkDigestArgument(conn, digest);
  const path = blobPath(repository, digest);
  return conn.retrying(`GET blob ${digest}`, async () => {
    const response = await conn.send(
      { kind: 'blob-get', method: 'GET', target: path, expect: [200] },
      pullScopes(repository),
    );
    const bytes = await readAtMost(response, size ?? MAX_BLOB_BYTES);
    const mismatch = (what: string): RegistryError =>
      new RegistryError({
        code: 'DIGEST_MISMATCH',
        registry: conn.endpoint.registry,
        method: 'GET',
        path,
        message: `GET ${conn.endpoint.registry}${path}: ${what}; the registry's copy of the blob is corrupt or was tampered with`,
      });
    if (bytes === undefined)
      throw mismatch(`the blob is larger than ${size ?? MAX_BLOB_BYTES} bytes`);
    if (size !== undefined && bytes.byteLength !== size)
      throw mismatch(`the blob has ${bytes.byteLength} bytes, the descriptor says ${size}`);
    const actual = sha256Digest(bytes);
    if (actual !== digest) throw mismatch(`the blob's content hashes to ${actual}`);
    return bytes;
  });
}

/** The API path of a blob. */
export function blobPath(repository: string, digest: string): string {
  return `/v2/${repository}/blobs/${digest}`;
}

/** The scopes of a read from `repository`. */
export function pullScopes(repository: string): readonly string[] {
  return [repositoryScope(repository, 'pull')];
}

/** Throws unless `digest` is a sha256 digest, quoting it. */
export function checkDigestArgument(conn: Connection, digest: string): void {
  if (!isDigest(digest)) {
    throw new RegistryError({
      code: 'DIGEST_INVALID',
      registry: conn.endpoint.registry,
      message: `${JSON.stringify(digest)} is not a digest; expected sha256:<64 lowercase hex>`,
    });
  }
}
