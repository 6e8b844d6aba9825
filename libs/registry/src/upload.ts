import { Descriptor } from '@crossdock/oci';
import { sha256Digest } from '@crossdock/oci';
import { blobExists, blobPath, checkDigestArgument } from './blobs';
import { repositoryScope } from './challenge';
import { Connection } from './connection';
import { RegistryError } from './errors';
import { BlobPushOutcome } from './events';
import { discard, type HttpResponse } from './http';

/** A blob to push: its descriptor and an opener that may be called more than once. */
export interface BlobSource {
  readonly descriptor: Descriptor;
  open(): Promise<Uint8Array>;
}

/** When and how blobs are uploaded in chunks. */
export interface UploadPolicy {
  /** Blobs larger than this many bytes are uploaded in chunks (PATCH), smaller ones in one PUT. */
  readonly chunkThreshold: number;
  /** Size of each PATCH; raised to the registry's OCI-Chunk-Min-Length when it asks for more. */
  readonly chunkSize: number;
}

/** Options of one {@link pushBlob}. */
export interface PushBlobOptions {
  /** Repositories on the same registry that may hold the blob already: mounted instead of uploaded. */
  readonly mountFrom?: readonly string[];
}

/**
 * Pushes a blob unless the repository has it: HEAD first, then a cross-repository mount
 * from each of `mountFrom`, then an upload (monolithic, or chunked above the threshold).
 * A failed upload is started over from its POST under the retry policy.
 */
export async function pushBlob(
  conn: Connection,
  policy: UploadPolicy,
  repository: string,
  blob: BlobSource,
  options: PushBlobOptions = {},
): Promise<BlobPushOutcome> {
  const { digest, size } = blob.descriptor;
  checkDigestArgument(conn, digest);
  const mountFrom = (options.mountFrom ?? []).filter((from) => from !== repository);
  const scopes = [
    repositoryScope(repository, 'pull,push'),
    ...mountFrom.map((from) => repositoryScope(from, 'pull')),
  ];
  const report = (outcome: BlobPushOutcome, from?: string): BlobPushOutcome => {
    conn.http.emit({
      type: 'blob',
      repository,
      digest,
      size,
      outcome,
      ...(from !== undefined ? { from } : {}),
    });
    return outcome;
  };

  if (await blobExists(conn, repository, digest, scopes)) return report('exists');

  let session: UploadSession | undefined;
  for (const [i, from] of mountFrom.entries()) {
    const mount = await tryMount(conn, repository, digest, from, scopes);
    if (mount === 'mounted') return report('mounted', from);
    if (i === mountFrom.length - 1) session = mount;
    else await cancel(conn, mount.url, scopes);
  }

  await conn.retrying(`upload blob ${digest}`, async () => {
    const bytes = await openChecked(conn, repository, blob);
    const start = session ?? (await startUpload(conn, repository, scopes));
    session = undefined; // a retry starts a fresh session
    await upload(conn, policy, repository, blob.descriptor, bytes, start, scopes);
  });
  return report('uploaded');
}

/** An open upload session: where to send the next request, and the registry's smallest chunk. */
export interface UploadSession {
  readonly url: URL;
  readonly minChunkLength: number;
}

async function tryMount(
  conn: Connection,
  repository: string,
  digest: string,
  from: string,
  scopes: readonly string[],
): Promise<'mounted' | UploadSession> {
  const target = `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
  return conn.retrying(`mount blob ${digest} from ${from}`, async () => {
    const response = await conn.send(
      { kind: 'blob-mount', method: 'POST', target, expect: [201, 202] },
      scopes,
    );
    await discard(response);
    return response.status === 201 ? 'mounted' : sessionOf(conn, response, conn.url(target));
  });
}

/** Opens an upload session (`POST /v2/<name>/blobs/uploads/`). */
export async function startUpload(
  conn: Connection,
  repository: string,
  scopes: readonly string[],
): Promise<UploadSession> {
  const target = `/v2/${repository}/blobs/uploads/`;
  const response = await conn.send(
    { kind: 'upload-start', method: 'POST', target, expect: [202] },
    scopes,
  );
  await discard(response);
  return sessionOf(conn, response, conn.url(target));
}

function sessionOf(conn: Connection, response: HttpResponse, base: URL): UploadSession {
  const minimum = Number(response.headers.get('oci-chunk-min-length') ?? '0');
  return {
    url: location(conn, response, base),
    minChunkLength: Number.isSafeInteger(minimum) && minimum > 0 ? minimum : 0,
  };
}

async function upload(
  conn: Connection,
  policy: UploadPolicy,
  repository: string,
  descriptor: Descriptor,
  bytes: Uint8Array,
  session: UploadSession,
  scopes: readonly string[],
): Promise<void> {
  const { digest, size } = descriptor;
  const progress = (sent: number, uploaded: number): void =>
    conn.http.emit({ type: 'upload-progress', repository, digest, bytes: sent, uploaded, size });
  let next = session.url;
  if (size > policy.chunkThreshold) {
    const chunkSize = Math.max(policy.chunkSize, session.minChunkLength);
    for (let offset = 0; offset < size; offset += chunkSize) {
      const chunk = bytes.subarray(offset, Math.min(size, offset + chunkSize));
      next = await patchChunk(conn, next, offset, chunk, scopes);
      progress(chunk.byteLength, offset + chunk.byteLength);
    }
    await finish(conn, next, digest, new Uint8Array(0), scopes, repository);
  } else {
    await finish(conn, next, digest, bytes, scopes, repository);
    progress(size, size);
  }
}

/**
 * Sends one chunk of a chunked upload (PATCH with its Content-Range at `offset`) and returns
 * where the next request of the session goes.
 */
export async function patchChunk(
  conn: Connection,
  target: URL,
  offset: number,
  chunk: Uint8Array,
  scopes: readonly string[],
): Promise<URL> {
  const response = await conn.send(
    {
      kind: 'upload-chunk',
      method: 'PATCH',
      target,
      headers: {
        'content-type': 'application/octet-stream',
        'content-range': `${offset}-${offset + chunk.byteLength - 1}`,
        'content-length': String(chunk.byteLength),
      },
      body: chunk,
      expect: [202],
    },
    scopes,
  );
  await discard(response);
  return location(conn, response, target);
}

/** Closes an upload session with its last bytes (`PUT <location>?digest=`), checking the stored digest. */
export async function finish(
  conn: Connection,
  session: URL,
  digest: string,
  body: Uint8Array,
  scopes: readonly string[],
  repository: string,
): Promise<void> {
  const target = new URL(session);
  target.searchParams.set('digest', digest);
  const response = await conn.send(
    {
      kind: 'upload-finish',
      method: 'PUT',
      target,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(body.byteLength),
      },
      body,
      expect: [201],
    },
    scopes,
  );
  await discard(response);
  const stored = response.headers.get('docker-content-digest');
  if (stored !== null && stored !== digest) {
    throw new RegistryError({
      code: 'DIGEST_MISMATCH',
      registry: conn.endpoint.registry,
      method: 'PUT',
      path: blobPath(repository, digest),
      message: `the registry stored blob ${digest} under ${stored}`,
    });
  }
}

async function openChecked(
  conn: Connection,
  repository: string,
  blob: BlobSource,
): Promise<Uint8Array> {
  const bytes = await blob.open();
  const { digest, size } = blob.descriptor;
  const actual = sha256Digest(bytes);
  if (bytes.byteLength !== size || actual !== digest) {
    throw new RegistryError({
      code: 'DIGEST_MISMATCH',
      registry: conn.endpoint.registry,
      path: blobPath(repository, digest),
      message: `the blob opened for ${digest} (${size} bytes) has ${bytes.byteLength} bytes hashing to ${actual}; the descriptor and the content disagree`,
    });
  }
  return bytes;
}

/** Cancels an upload session, ignoring failures (the registry expires it anyway). */
export async function cancel(
  conn: Connection,
  session: URL,
  scopes: readonly string[],
): Promise<void> {
  await conn
    .send(
      { kind: 'upload-cancel', method: 'DELETE', target: session, expect: [204], pass: [404] },
      scopes,
    )
    .then(discard, () => undefined);
}

/** The Location of the next request of an upload session. */
export function location(conn: Connection, response: HttpResponse, base: URL): URL {
  const value = response.headers.get('location');
  if (value === null) {
    throw new RegistryError({
      code: 'PROTOCOL',
      registry: conn.endpoint.registry,
      path: base.pathname,
      status: response.status,
      message: `${base.host}${base.pathname} answered ${response.status} without a Location for the upload session`,
    });
  }
  return new URL(value, base);
}
