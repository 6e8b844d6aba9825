// Image-level reads over the client, as go-containerregistry's remote.Get, remote.Image and
// remote.Index: a manifest by reference, its bytes kept exactly and parsed with validation;
// an image's config read at once, its layers fetched only when opened, once.
import {
  imageFromBytes,
  isIndexMediaType,
  layerFromBlob,
  parseImageConfig,
  parseImageManifest,
  parseIndexManifest,
  type Descriptor,
  type Image,
  type IndexManifest,
} from '@crossdock/oci';
import type { RegistryClient } from './client';

/** What a reference names in a registry: an index of manifests, or one image. */
export type RemoteArtifact =
  | {
      readonly kind: 'index';
      readonly digest: string;
      readonly mediaType: string;
      readonly bytes: Uint8Array;
      readonly index: IndexManifest;
    }
  | { readonly kind: 'image'; readonly digest: string; readonly image: Image };

/** The index or image `reference` (a tag or digest) names in `repository`, validated. */
export async function readArtifact(
  client: RegistryClient,
  repository: string,
  reference: string,
): Promise<RemoteArtifact> {
  const fetched = await client.getManifest(repository, reference);
  if (isIndexMediaType(fetched.mediaType)) {
    const index = parseIndexManifest(fetched.bytes, `index ${fetched.digest}`);
    return {
      kind: 'index',
      digest: fetched.digest,
      mediaType: fetched.mediaType,
      bytes: fetched.bytes,
      index,
    };
  }
  const image = await imageOf(client, repository, fetched.bytes, fetched.digest);
  return { kind: 'image', digest: image.digest, image };
}

/**
 * The single-platform image `reference` names; an index is an error naming it (choose a
 * child by its digest first).
 */
export async function readImage(
  client: RegistryClient,
  repository: string,
  reference: string,
): Promise<Image> {
  const artifact = await readArtifact(client, repository, reference);
  if (artifact.kind === 'index')
    throw new NotAnImageError(repository, reference, artifact.digest, artifact.mediaType);
  return artifact.image;
}

/** Thrown by {@link readImage} when the reference names an index. */
export class NotAnImageError extends Error {
  override readonly name = 'NotAnImageError';
  constructor(
    readonly repository: string,
    readonly reference: string,
    readonly digest: string,
    readonly mediaType: string,
  ) {
    super(
      `${repository}:${reference} is an index (${mediaType}, ${digest}), not a single-platform image manifest`,
    );
  }
}

async function imageOf(
  client: RegistryClient,
  repository: string,
  manifestBytes: Uint8Array,
  digest: string,
): Promise<Image> {
  const manifest = parseImageManifest(manifestBytes, `manifest ${digest}`);
  const configBytes = await client.getBlob(repository, manifest.config);
  const config = parseImageConfig(configBytes, `config ${manifest.config.digest}`);
  const layers = manifest.layers.map((descriptor, i) =>
    layerFromBlob(
      descriptor,
      config.rootfs.diff_ids[i] ?? '',
      downloadOnce(client, repository, descriptor),
    ),
  );
  return imageFromBytes(manifestBytes, configBytes, layers);
}

/** An opener that downloads a blob on first use (getBlob checks size and digest) and keeps the bytes. */
function downloadOnce(
  client: RegistryClient,
  repository: string,
  descriptor: Descriptor,
): () => Promise<Uint8Array> {
  let bytes: Promise<Uint8Array> | undefined;
  return () => {
    bytes ??= client.getBlob(repository, descriptor).catch((error: unknown) => {
      bytes = undefined;
      throw error;
    });
    return bytes;
  };
}
