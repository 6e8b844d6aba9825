import { Descriptor } from '@crossdock/oci';
import { digestHex } from '@crossdock/oci';
import { MediaType } from '@crossdock/oci';
import { checkDigestArgument, pullScopes } from './blobs';
import { Connection } from './connection';
import { RegistryError } from './errors';
import { discard, readAtMost } from './http';
import { fetchManifest, MANIFEST_LIMIT, putManifest } from './manifests';

/** Options of a referrers query. */
export interface ReferrersOptions {
  /** Only referrers of this artifact type. */
  readonly artifactType?: string;
}

/** The tag the referrers tag schema keeps a subject's referrers under: `sha256-<hex>`. Pure. */
export function referrersTag(subject: string): string {
  return `sha256-${digestHex(subject)}`;
}

/**
 * The manifests that refer to `subject` (their `subject` field names it): from
 * `GET /v2/<name>/referrers/<digest>`, or, where the registry lacks that API (404), from
 * the index under the referrers tag schema's `sha256-<hex>` tag. Empty when there are none.
 */
export async function listReferrers(
  conn: Connection,
  repository: string,
  subject: string,
  options: ReferrersOptions = {},
): Promise<readonly Descriptor[]> {
  checkDigestArgument(conn, subject);
  const path = `/v2/${repository}/referrers/${subject}`;
  const query =
    options.artifactType !== undefined
      ? `?artifactType=${encodeURIComponent(options.artifactType)}`
      : '';
  const fromApi = await conn.retrying(`GET referrers of ${subject}`, async () => {
    const response = await conn.send(
      {
        kind: 'referrers',
        method: 'GET',
        target: `${path}${query}`,
        headers: { accept: MediaType.ociIndex },
        expect: [200],
        pass: [404],
      },
      pullScopes(repository),
    );
    if (response.status === 404) {
      await discard(response);
      return undefined;
    }
    const bytes = await readAtMost(response, MANIFEST_LIMIT);
    const filtered = (response.headers.get('oci-filters-applied') ?? '')
      .split(',')
      .map((f) => f.trim())
      .includes('artifactType');
    return { manifests: indexManifests(conn, path, bytes), filtered };
  });
  if (fromApi !== undefined)
    return fromApi.filtered
      ? fromApi.manifests
      : filterByType(fromApi.manifests, options.artifactType);

  conn.http.emit({ type: 'referrers-fallback', repository, subject, action: 'read' });
  const index = await fetchManifest(
    conn,
    repository,
    referrersTag(subject),
    [MediaType.ociIndex],
    true,
  );
  if (index === undefined) return [];
  return filterByType(indexManifests(conn, path, index.bytes), options.artifactType);
}

/**
 * Adds `descriptor` to the referrers tag schema index of `subject` (creating it), for
 * registries that did not take the referrer in through the referrers API. Idempotent.
 */
export async function addToReferrersTag(
  conn: Connection,
  repository: string,
  subject: string,
  descriptor: Descriptor,
): Promise<void> {
  const tag = referrersTag(subject);
  const existing = await fetchManifest(conn, repository, tag, [MediaType.ociIndex], true);
  const manifests =
    existing === undefined
      ? []
      : indexManifests(conn, `/v2/${repository}/manifests/${tag}`, existing.bytes);
  if (manifests.some((m) => m.digest === descriptor.digest)) return;
  const index = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [...manifests, descriptor],
  };
  await putManifest(conn, repository, tag, Buffer.from(JSON.stringify(index)), MediaType.ociIndex);
  conn.http.emit({ type: 'referrers-fallback', repository, subject, action: 'updated' });
}

/**
 * The subject digest and referrer descriptor of manifest bytes that have a `subject`
 * field, or undefined. The artifact type is `artifactType`, else the config's media type. Pure.
 */
export function referrerOf(
  bytes: Uint8Array,
  mediaType: string,
  digest: string,
): { subject: string; descriptor: Descriptor } | undefined {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const subject = (manifest['subject'] as { digest?: unknown } | undefined)?.digest;
  if (typeof subject !== 'string') return undefined;
  const configType = (manifest['config'] as { mediaType?: unknown } | undefined)?.mediaType;
  const artifactType =
    typeof manifest['artifactType'] === 'string'
      ? manifest['artifactType']
      : typeof configType === 'string'
        ? configType
        : undefined;
  const annotations = manifest['annotations'] as Record<string, string> | undefined;
  return {
    subject,
    descriptor: {
      mediaType,
      digest,
      size: bytes.byteLength,
      ...(artifactType !== undefined ? { artifactType } : {}),
      ...(annotations !== undefined && typeof annotations === 'object' ? { annotations } : {}),
    },
  };
}

function indexManifests(
  conn: Connection,
  path: string,
  bytes: Uint8Array | undefined,
): readonly Descriptor[] {
  const invalid = (why: string): RegistryError =>
    new RegistryError({
      code: 'MANIFEST_INVALID',
      registry: conn.endpoint.registry,
      method: 'GET',
      path,
      message: `GET ${conn.endpoint.registry}${path}: ${why}`,
    });
  if (bytes === undefined)
    throw invalid(`the referrers index is larger than ${MANIFEST_LIMIT} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw invalid('the referrers index is not JSON');
  }
  const manifests = (parsed as { manifests?: unknown } | null)?.manifests;
  if (manifests === undefined || manifests === null) return [];
  if (!Array.isArray(manifests)) throw invalid('the referrers index has no manifests array');
  return manifests as Descriptor[];
}

function filterByType(
  manifests: readonly Descriptor[],
  artifactType: string | undefined,
): readonly Descriptor[] {
  return artifactType === undefined
    ? manifests
    : manifests.filter((m) => m.artifactType === artifactType);
}
