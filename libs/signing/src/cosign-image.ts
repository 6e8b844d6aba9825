import { canonicalJsonBytes } from '@crossdock/oci';
import type { Descriptor } from '@crossdock/oci';
import { sha256Digest } from '@crossdock/oci';
import { MediaType } from '@crossdock/oci';
import type { RegistryClient } from '@crossdock/registry';

/** One layer of a cosign signature or attestation image: its bytes, media type and annotations. */
export interface CosignLayer {
  readonly bytes: Uint8Array;
  readonly mediaType: string;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A layer already in a cosign image: its descriptor and a way to read its bytes (checked against the digest). */
export interface ExistingCosignLayer {
  readonly descriptor: Descriptor;
  read(): Promise<Uint8Array>;
}

/** What appending did: the tag, the image's manifest digest after the call, and whether a layer was added. */
export interface AppendResult {
  readonly tag: string;
  readonly digest: string;
  readonly appended: boolean;
  /** Layers in the image after the call. */
  readonly layers: number;
}

/**
 * Adds `layer` to the cosign image (an OCI manifest whose layers are signatures or
 * attestations) under `tag` in `repository`, creating it when absent and keeping the
 * layers already there, as `cosign sign` does when an image is signed again. When
 * `equivalent` says an existing layer already makes the same claim with the same key,
 * nothing is pushed: a re-push adds no duplicate layer. Blobs go before the manifest.
 */
export async function appendCosignLayer(
  client: RegistryClient,
  repository: string,
  tag: string,
  layer: CosignLayer,
  equivalent: (existing: ExistingCosignLayer) => Promise<boolean>,
): Promise<AppendResult> {
  const existing = await readCosignLayers(client, repository, tag);
  for (const entry of existing.layers) {
    if (await equivalent(entry))
      return { tag, digest: existing.digest!, appended: false, layers: existing.layers.length };
  }
  const descriptor: Descriptor = {
    mediaType: layer.mediaType,
    digest: sha256Digest(layer.bytes),
    size: layer.bytes.byteLength,
    annotations: layer.annotations,
  };
  const layers = [...existing.layers.map((entry) => entry.descriptor), descriptor];
  const config = cosignConfig(layers);
  const configDescriptor: Descriptor = {
    mediaType: MediaType.ociConfig,
    digest: sha256Digest(config),
    size: config.byteLength,
  };
  await client.pushBlob(repository, { descriptor, open: async () => layer.bytes });
  await client.pushBlob(repository, { descriptor: configDescriptor, open: async () => config });
  const manifest = canonicalJsonBytes({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: configDescriptor,
    layers,
  });
  const digest = await client.pushManifest(repository, tag, manifest, MediaType.ociManifest);
  return { tag, digest, appended: true, layers: layers.length };
}

/** The layers of the cosign image under `tag` (none when the tag does not exist), each readable. */
export async function readCosignLayers(
  client: RegistryClient,
  repository: string,
  tag: string,
): Promise<{ digest?: string; layers: ExistingCosignLayer[] }> {
  const head = await client.headManifest(repository, tag, [MediaType.ociManifest]);
  if (head === undefined) return { layers: [] };
  const manifest = await client.getManifest(repository, head.digest, [MediaType.ociManifest]);
  const parsed = JSON.parse(Buffer.from(manifest.bytes).toString('utf8')) as {
    layers?: Descriptor[];
  };
  const layers = (parsed.layers ?? []).map((descriptor) => ({
    descriptor,
    read: () => client.getBlob(repository, descriptor),
  }));
  return { digest: manifest.digest, layers };
}

/**
 * The image config cosign gives its signature images: no platform, the zero time, one
 * history entry and one diff_id per layer (the layers are uncompressed, so a diff_id is
 * the layer's digest).
 */
function cosignConfig(layers: readonly Descriptor[]): Uint8Array {
  const zero = '0001-01-01T00:00:00Z';
  return canonicalJsonBytes({
    architecture: '',
    os: '',
    created: zero,
    config: {},
    history: layers.map(() => ({ created: zero })),
    rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.digest) },
  });
}
