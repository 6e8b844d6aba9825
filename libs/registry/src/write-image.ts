// Image-level writes over the client, as go-containerregistry's remote.Write and WriteIndex:
// blobs (a few at a time, mounted where possible), manifests by digest, then tags.
import { MediaType, type Blob, type Image, type ImageIndex } from '@crossdock/oci';
import type { RegistryClient } from './client';

/** Where a push goes: a client of one registry, a repository, and repositories blobs may be mounted from. */
export interface WriteTarget {
  readonly client: RegistryClient;
  readonly repository: string;
  /** Repositories of the same registry that may hold some blobs already (a base image's): mounted, not uploaded. */
  readonly mountFrom?: readonly string[];
  /** How many blobs are pushed at once (default 4). */
  readonly concurrency?: number;
}

/** The config and layers of the images, each blob once (images of one index share blobs often). */
export function blobsOf(images: readonly Image[]): Blob[] {
  const blobs = new Map<string, Blob>();
  for (const image of images) {
    const config = image.manifest.config;
    if (!blobs.has(config.digest))
      blobs.set(config.digest, { descriptor: config, open: async () => image.configBytes() });
    for (const layer of image.layers)
      if (!blobs.has(layer.descriptor.digest)) blobs.set(layer.descriptor.digest, layer);
  }
  return [...blobs.values()];
}

/** Pushes every blob of `images` (config and layers), a few at a time; blobs the repository has are skipped, base blobs mounted. */
export async function writeBlobs(target: WriteTarget, images: readonly Image[]): Promise<void> {
  const queue = blobsOf(images);
  const options =
    target.mountFrom && target.mountFrom.length > 0 ? { mountFrom: target.mountFrom } : {};
  const worker = async () => {
    for (let blob = queue.shift(); blob !== undefined; blob = queue.shift()) {
      await target.client.pushBlob(target.repository, blob, options);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, target.concurrency ?? 4) }, worker));
}

/**
 * Pushes one platform's image by digest, without a tag: its blobs, then its manifest
 * under its own digest. The registry then holds everything the manifest names.
 * This is the unit a CI cell pushes (`--platform=<p> --by-digest`).
 */
export async function writeImage(target: WriteTarget, image: Image): Promise<string> {
  await writeBlobs(target, [image]);
  return target.client.pushManifest(
    target.repository,
    image.digest,
    image.manifestBytes(),
    image.manifest.mediaType,
  );
}

/**
 * Pushes a multi-platform image: all blobs, then every platform's manifest by digest, then
 * the index by digest, then `beforeTags` (signing), and only then each tag. A failure at any
 * step leaves no tag pointing at content that is not there (or not signed): an existing
 * tag keeps its old, complete image.
 */
export async function writeIndex(
  target: WriteTarget,
  index: ImageIndex,
  tags: readonly string[],
  beforeTags?: (indexDigest: string) => Promise<void>,
): Promise<string> {
  await writeBlobs(target, index.images);
  for (const image of index.images) {
    await target.client.pushManifest(
      target.repository,
      image.digest,
      image.manifestBytes(),
      image.manifest.mediaType,
    );
  }
  return writeIndexManifest(
    target.client,
    target.repository,
    {
      digest: index.digest,
      bytes: index.manifestBytes(),
      mediaType: index.manifest.mediaType ?? MediaType.ociIndex,
    },
    tags,
    beforeTags,
  );
}

/**
 * Puts an index whose children are already in the repository: by digest, then `beforeTags`
 * (signing), then each tag, so no tag names an index before it is complete (and signed).
 * Returns the digest the registry confirmed. Used by `writeIndex` and by the merge of CI
 * cells, whose children were pushed by the cells.
 */
export async function writeIndexManifest(
  client: RegistryClient,
  repository: string,
  index: { readonly digest: string; readonly bytes: Uint8Array; readonly mediaType: string },
  tags: readonly string[],
  beforeTags?: (indexDigest: string) => Promise<void>,
): Promise<string> {
  const digest = await client.pushManifest(repository, index.digest, index.bytes, index.mediaType);
  await beforeTags?.(digest);
  for (const tag of tags) await client.pushManifest(repository, tag, index.bytes, index.mediaType);
  return digest;
}
