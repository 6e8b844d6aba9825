import { createHash } from 'node:crypto';
import { MediaType, type Descriptor } from '@crossdock/oci';

/** The artifactType of a cache entry's manifest: one Nx task output archive. */
export const CACHE_ARTIFACT_TYPE = 'application/vnd.crossdock.nx-cache.v1';
/** The media type of the entry's one layer: the archive exactly as Nx uploaded it. */
export const CACHE_ENTRY_MEDIA_TYPE = 'application/vnd.crossdock.nx-cache.entry.v1';
/** The annotation holding the Nx task hash the entry is stored under. */
export const HASH_ANNOTATION = 'dev.crossdock.nx-cache.hash';
/** The annotation holding when the entry was stored (RFC 3339), read by prune. */
export const CREATED_ANNOTATION = 'org.opencontainers.image.created';

/** The empty JSON object `{}`, the config of every entry (OCI 1.1 artifact guidance). */
export const EMPTY_CONFIG_BYTES = new Uint8Array([0x7b, 0x7d]);
/** The descriptor of {@link EMPTY_CONFIG_BYTES}. */
export const EMPTY_CONFIG: Descriptor = {
  mediaType: MediaType.ociEmpty,
  digest: `sha256:${createHash('sha256').update(EMPTY_CONFIG_BYTES).digest('hex')}`,
  size: EMPTY_CONFIG_BYTES.byteLength,
};

/** What a stored entry's manifest says. */
export interface EntryManifest {
  readonly archive: Descriptor;
  readonly hash: string;
  /** When it was stored, in ms since the epoch; undefined when the annotation is missing or bad. */
  readonly createdMs?: number;
}

/**
 * The manifest bytes of one entry: an OCI image manifest with artifactType
 * {@link CACHE_ARTIFACT_TYPE}, the empty config and the archive as its only layer.
 */
export function entryManifestBytes(hash: string, archive: Descriptor, created: Date): Uint8Array {
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: CACHE_ARTIFACT_TYPE,
    config: EMPTY_CONFIG,
    layers: [{ mediaType: CACHE_ENTRY_MEDIA_TYPE, digest: archive.digest, size: archive.size }],
    annotations: { [HASH_ANNOTATION]: hash, [CREATED_ANNOTATION]: created.toISOString() },
  };
  return new TextEncoder().encode(JSON.stringify(manifest));
}

/** Reads an entry's manifest; undefined when the bytes are not a crossdock cache entry. */
export function parseEntryManifest(bytes: Uint8Array): EntryManifest | undefined {
  let parsed: {
    artifactType?: unknown;
    layers?: { mediaType?: unknown; digest?: unknown; size?: unknown }[];
    annotations?: Record<string, unknown>;
  };
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as typeof parsed;
  } catch {
    return undefined;
  }
  const layer = parsed.layers?.[0];
  if (parsed.artifactType !== CACHE_ARTIFACT_TYPE || parsed.layers?.length !== 1 || !layer)
    return undefined;
  const { digest, size } = layer;
  if (typeof digest !== 'string' || typeof size !== 'number' || !Number.isSafeInteger(size))
    return undefined;
  const hash = parsed.annotations?.[HASH_ANNOTATION];
  const created = parsed.annotations?.[CREATED_ANNOTATION];
  const createdMs = typeof created === 'string' ? Date.parse(created) : NaN;
  return {
    archive: { mediaType: CACHE_ENTRY_MEDIA_TYPE, digest, size },
    hash: typeof hash === 'string' ? hash : '',
    ...(Number.isFinite(createdMs) ? { createdMs } : {}),
  };
}
