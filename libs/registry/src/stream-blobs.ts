import { createHash } from 'node:crypto';
import type { Descriptor } from '@crossdock/oci';
import { blobExists, blobPath, checkDigestArgument, pullScopes } from './blobs';
import { repositoryScope } from './challenge';
import type { Connection } from './connection';
import { RegistryError } from './errors';
import type { BlobPushOutcome } from './events';
import { discard } from './http';
import {
  cancel,
  finish,
  patchChunk,
  startUpload,
  type UploadPolicy,
  type UploadSession,
} from './upload';

/**
 * A blob to push as a stream: its descriptor and an opener of its bytes in pieces of any
 * size, which may be called more than once (a retried upload starts over). The whole blob
 * is never held in memory: at most one chunk of the upload policy.
 */
export interface StreamedBlobSource {
  readonly descriptor: Descriptor;
  open(): AsyncIterable<Uint8Array>;
}

/**
 * Pushes a streamed blob unless the repository has it: one PUT when it fits in one chunk,
 * else chunked PATCHes and a closing PUT. The bytes sent must hash to the descriptor's
 * digest and have its size; otherwise the session is cancelled and nothing is stored.
 */
export async function pushBlobStream(
  conn: Connection,
  policy: UploadPolicy,
  repository: string,
  blob: StreamedBlobSource,
): Promise<BlobPushOutcome> {
  const { digest, size } = blob.descriptor;
  checkDigestArgument(conn, digest);
  const scopes = [repositoryScope(repository, 'pull,push')];
  const emit = (outcome: BlobPushOutcome): BlobPushOutcome => {
    conn.http.emit({ type: 'blob', repository, digest, size, outcome });
    return outcome;
  };
  if (await blobExists(conn, repository, digest, scopes)) return emit('exists');
  await conn.retrying(`upload blob ${digest}`, async () => {
    const session = await startUpload(conn, repository, scopes);
    try {
      await sendChunks(conn, policy, repository, blob, session, scopes);
    } catch (error) {
      await cancel(conn, session.url, scopes);
      throw error;
    }
  });
  return emit('uploaded');
}

async function sendChunks(
  conn: Connection,
  policy: UploadPolicy,
  repository: string,
  blob: StreamedBlobSource,
  session: UploadSession,
  scopes: readonly string[],
): Promise<void> {
  const { digest, size } = blob.descriptor;
  const chunkSize = Math.max(policy.chunkSize, session.minChunkLength);
  const hash = createHash('sha256');
  let next = session.url;
  let offset = 0;
  // One buffer for every chunk: each PATCH has been answered (its body sent) before the
  // buffer is filled again, so memory stays at one chunk whatever the blob's size.
  const buffer = Buffer.allocUnsafe(chunkSize);
  let pendingBytes = 0;
  const flush = async (): Promise<void> => {
    const chunk = buffer.subarray(0, pendingBytes);
    next = await patchChunk(conn, next, offset, chunk, scopes);
    offset += chunk.byteLength;
    pendingBytes = 0;
    conn.http.emit({
      type: 'upload-progress',
      repository,
      digest,
      bytes: chunk.byteLength,
      uploaded: offset,
      size,
    });
  };
  for await (const piece of blob.open()) {
    hash.update(piece);
    let rest = piece;
    while (rest.byteLength > 0) {
      const take = Math.min(chunkSize - pendingBytes, rest.byteLength);
      buffer.set(rest.subarray(0, take), pendingBytes);
      pendingBytes += take;
      rest = rest.subarray(take);
      if (pendingBytes === chunkSize) await flush();
    }
  }
  const total = offset + pendingBytes;
  const actual = `sha256:${hash.digest('hex')}`;
  if (total !== size || actual !== digest) {
    throw new RegistryError({
      code: 'DIGEST_MISMATCH',
      registry: conn.endpoint.registry,
      path: blobPath(repository, digest),
      message: `the stream opened for ${digest} (${size} bytes) gave ${total} bytes hashing to ${actual}; the descriptor and the content disagree`,
    });
  }
  await finish(conn, next, digest, buffer.subarray(0, pendingBytes), scopes, repository);
  if (pendingBytes > 0)
    conn.http.emit({
      type: 'upload-progress',
      repository,
      digest,
      bytes: pendingBytes,
      uploaded: total,
      size,
    });
}

/**
 * Opens a blob for reading as a stream of pieces. The request itself is retried; the body
 * is not: a body cut off midway, longer than the descriptor's size or hashing to another
 * digest ends the stream with a {@link RegistryError} (NETWORK or DIGEST_MISMATCH) after
 * the last piece, so a consumer that writes the pieces somewhere must wait for the end
 * before it trusts them.
 */
export async function openBlobStream(
  conn: Connection,
  repository: string,
  descriptor: Descriptor,
): Promise<AsyncIterable<Uint8Array>> {
  const { digest, size } = descriptor;
  checkDigestArgument(conn, digest);
  const path = blobPath(repository, digest);
  const response = await conn.retrying(`GET blob ${digest}`, () =>
    conn.send(
      { kind: 'blob-get', method: 'GET', target: path, expect: [200] },
      pullScopes(repository),
    ),
  );
  const fail = (code: string, what: string, cause?: unknown): RegistryError =>
    new RegistryError({
      code,
      registry: conn.endpoint.registry,
      method: 'GET',
      path,
      retryable: code === 'NETWORK',
      message: `GET ${conn.endpoint.registry}${path}: ${what}`,
      ...(cause !== undefined ? { cause } : {}),
    });
  return (async function* pieces(): AsyncGenerator<Uint8Array> {
    const reader = response.body?.getReader();
    const hash = createHash('sha256');
    let received = 0;
    for (;;) {
      const read = await reader?.read().catch((error: unknown) => {
        throw fail('NETWORK', `the body broke off after ${received} bytes`, error);
      });
      if (read === undefined || read.done) break;
      received += read.value.byteLength;
      if (received > size) {
        await reader?.cancel().catch(() => undefined);
        throw fail('DIGEST_MISMATCH', `the blob is larger than the ${size} bytes expected`);
      }
      hash.update(read.value);
      yield read.value;
    }
    const actual = `sha256:${hash.digest('hex')}`;
    if (received !== size || actual !== digest)
      throw fail(
        'DIGEST_MISMATCH',
        `got ${received} of ${size} bytes hashing to ${actual}; the registry's copy is incomplete or corrupt`,
      );
  })();
}

/**
 * Deletes a manifest by digest (its tags go with it; blobs stay until the registry's
 * garbage collection). A registry that does not allow deletes answers 405, reported as a
 * {@link RegistryError} with code UNSUPPORTED.
 */
export async function deleteManifest(
  conn: Connection,
  repository: string,
  digest: string,
): Promise<void> {
  checkDigestArgument(conn, digest);
  const path = `/v2/${repository}/manifests/${digest}`;
  const response = await conn.retrying(`DELETE manifest ${repository}@${digest}`, () =>
    conn.send(
      {
        kind: 'manifest-delete',
        method: 'DELETE',
        target: path,
        expect: [202, 200, 204],
        pass: [404, 405],
      },
      [repositoryScope(repository, 'delete')],
    ),
  );
  await discard(response);
  if (response.status === 405)
    throw new RegistryError({
      code: 'UNSUPPORTED',
      registry: conn.endpoint.registry,
      method: 'DELETE',
      path,
      status: 405,
      message: `${conn.endpoint.registry} does not allow deletes (DELETE ${path} answered 405); enable them in the registry (distribution: storage.delete.enabled: true) or expire the repository with the registry's own retention policy`,
    });
}
