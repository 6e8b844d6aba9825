import { isDigest, sha256Digest } from '@crossdock/oci';
import { MediaType } from '@crossdock/oci';
import { pullScopes } from './blobs';
import { repositoryScope } from './challenge';
import { Connection } from './connection';
import { RegistryError } from './errors';
import { discard, readAtMost } from './http';
import { isTag } from './reference';

/** A manifest or index as a registry holds it: exact bytes, media type and digest. */
export interface FetchedManifest {
  readonly bytes: Uint8Array;
  readonly mediaType: string;
  readonly digest: string;
}

/** What a HEAD of a manifest tells: digest, media type and size. */
export interface ManifestHead {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
}

/** What a manifest push did; `subjectHeader` is the registry's OCI-Subject header, if any. */
export interface PushedManifest {
  readonly digest: string;
  readonly subjectHeader?: string;
}

/** Media types asked for when the caller names none: OCI and Docker, indexes and manifests. */
export const DEFAULT_MANIFEST_ACCEPT: readonly string[] = [
  MediaType.ociIndex,
  MediaType.ociManifest,
  MediaType.dockerManifestList,
  MediaType.dockerManifest,
];

/** The largest manifest read; registries themselves refuse bigger ones (the spec suggests 4 MiB). */
export const MANIFEST_LIMIT = 4 * 1024 * 1024;

/**
 * PUTs manifest bytes under a tag or digest and returns the digest the registry reports
 * (Docker-Content-Digest), which must equal the sha256 of the bytes.
 */
export async function putManifest(
  conn: Connection,
  repository: string,
  reference: string,
  bytes: Uint8Array,
  mediaType: string,
): Promise<PushedManifest> {
  checkReference(conn, reference);
  const digest = sha256Digest(bytes);
  const path = manifestPath(repository, reference);
  if (isDigest(reference) && reference !== digest) {
    throw mismatch(
      conn,
      'PUT',
      path,
      `the manifest's bytes hash to ${digest}, not to the digest it is pushed under`,
    );
  }
  return conn.retrying(`PUT manifest ${repository}:${reference}`, async () => {
    const response = await conn.send(
      {
        kind: 'manifest-put',
        method: 'PUT',
        target: path,
        headers: { 'content-type': mediaType },
        body: bytes,
        expect: [201],
      },
      [repositoryScope(repository, 'pull,push')],
    );
    await discard(response);
    const reported = response.headers.get('docker-content-digest');
    if (reported !== null && reported !== digest)
      throw mismatch(
        conn,
        'PUT',
        path,
        `the registry reports digest ${reported} for bytes hashing to ${digest}`,
      );
    const subjectHeader = response.headers.get('oci-subject');
    conn.http.emit({ type: 'manifest', repository, reference, digest, mediaType });
    return { digest, ...(subjectHeader !== null ? { subjectHeader } : {}) };
  });
}

/**
 * GETs a manifest and checks its digest: against the reference when it is a digest,
 * against Docker-Content-Digest when the registry sends one for a tag.
 * Undefined on 404 when `allowMissing` is set; otherwise a 404 is a {@link RegistryError}.
 */
export async function fetchManifest(
  conn: Connection,
  repository: string,
  reference: string,
  accept: readonly string[],
  allowMissing = false,
): Promise<FetchedManifest | undefined> {
  checkReference(conn, reference);
  const path = manifestPath(repository, reference);
  return conn.retrying(`GET manifest ${repository}:${reference}`, async () => {
    const response = await conn.send(
      {
        kind: 'manifest-get',
        method: 'GET',
        target: path,
        headers: { accept: acceptHeader(accept) },
        expect: [200],
        pass: allowMissing ? [404] : [],
      },
      pullScopes(repository),
    );
    if (response.status === 404) {
      await discard(response);
      return undefined;
    }
    const bytes = await readAtMost(response, MANIFEST_LIMIT);
    if (bytes === undefined)
      throw new RegistryError({
        code: 'MANIFEST_INVALID',
        registry: conn.endpoint.registry,
        method: 'GET',
        path,
        message: `GET ${conn.endpoint.registry}${path}: the manifest is larger than ${MANIFEST_LIMIT} bytes`,
      });
    const digest = sha256Digest(bytes);
    const expected = isDigest(reference)
      ? reference
      : response.headers.get('docker-content-digest');
    if (expected !== null && expected !== digest)
      throw mismatch(
        conn,
        'GET',
        path,
        `the manifest's bytes hash to ${digest}, expected ${expected}`,
      );
    return { bytes, digest, mediaType: mediaTypeOf(response.headers.get('content-type'), bytes) };
  });
}

/** HEADs a manifest: its digest, media type and size, or undefined when there is none. */
export async function headManifest(
  conn: Connection,
  repository: string,
  reference: string,
  accept: readonly string[],
): Promise<ManifestHead | undefined> {
  checkReference(conn, reference);
  const path = manifestPath(repository, reference);
  const head = await conn.retrying(`HEAD manifest ${repository}:${reference}`, async () => {
    const response = await conn.send(
      {
        kind: 'manifest-head',
        method: 'HEAD',
        target: path,
        headers: { accept: acceptHeader(accept) },
        expect: [200],
        pass: [404],
      },
      pullScopes(repository),
    );
    await discard(response);
    if (response.status === 404) return 'missing' as const;
    const digest =
      response.headers.get('docker-content-digest') ?? (isDigest(reference) ? reference : null);
    const size = Number(response.headers.get('content-length') ?? NaN);
    const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim();
    return digest !== null && Number.isSafeInteger(size) && mediaType
      ? { digest, size, mediaType }
      : undefined;
  });
  if (head === 'missing') return undefined;
  if (head !== undefined) return head;
  // The registry left something out of its HEAD answer: read the manifest instead.
  const fetched = await fetchManifest(conn, repository, reference, accept, true);
  return (
    fetched && {
      digest: fetched.digest,
      mediaType: fetched.mediaType,
      size: fetched.bytes.byteLength,
    }
  );
}

/** The API path of a manifest. */
export function manifestPath(repository: string, reference: string): string {
  return `/v2/${repository}/manifests/${reference}`;
}

function checkReference(conn: Connection, reference: string): void {
  if (!isDigest(reference) && !isTag(reference)) {
    throw new RegistryError({
      code: 'TAG_INVALID',
      registry: conn.endpoint.registry,
      message: `manifest reference ${JSON.stringify(reference)} is neither a tag ([\\w][\\w.-]{0,127}) nor a sha256 digest`,
    });
  }
}

function acceptHeader(accept: readonly string[]): string {
  return (accept.length > 0 ? accept : DEFAULT_MANIFEST_ACCEPT).join(', ');
}

function mediaTypeOf(contentType: string | null, bytes: Uint8Array): string {
  const fromHeader = contentType?.split(';')[0]?.trim();
  if (fromHeader && fromHeader !== 'application/json' && fromHeader !== 'application/octet-stream')
    return fromHeader;
  try {
    const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as { mediaType?: unknown };
    if (typeof parsed.mediaType === 'string') return parsed.mediaType;
  } catch {
    // not JSON: keep what the header said
  }
  return fromHeader ?? 'application/octet-stream';
}

function mismatch(conn: Connection, method: string, path: string, what: string): RegistryError {
  return new RegistryError({
    code: 'DIGEST_MISMATCH',
    registry: conn.endpoint.registry,
    method,
    path,
    message: `${method} ${conn.endpoint.registry}${path}: ${what}`,
  });
}
