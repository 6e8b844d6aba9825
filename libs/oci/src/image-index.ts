import type { Annotations } from './annotations';
import { canonicalJsonBytes } from './canonical-json';
import type { Descriptor } from './descriptor';
import { sha256Digest } from './digest';
import { ImageModelError } from './errors';
import type { Image } from './image';
import { type IndexManifest, parseIndexManifest } from './manifest';
import { MediaType } from './media-types';
import { platformKey } from './platform-key';

/**
 * A multi-platform image: an OCI image index whose manifest descriptors each carry a
 * platform, and the images they point at, in the same order. It never changes.
 */
export interface ImageIndex {
  readonly manifest: IndexManifest;
  /** The manifest descriptors, each with its platform. */
  readonly manifests: readonly Descriptor[];
  readonly images: readonly Image[];
  readonly annotations?: Annotations;
  /** The digest of the index bytes. */
  readonly digest: string;
  manifestBytes(): Uint8Array;
  /** The index descriptor (media type, digest, size). */
  descriptor(): Descriptor;
}

/**
 * An OCI image index of `images`, one per platform (taken from each config), in the
 * order given. Throws when two images have the same platform.
 */
export function indexFromImages(images: readonly Image[], annotations?: Annotations): ImageIndex {
  if (images.length === 0) throw new ImageModelError('an image index needs at least one image');
  const manifest: IndexManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: images.map((image) => image.descriptor()),
    ...(annotations === undefined || Object.keys(annotations).length === 0 ? {} : { annotations }),
  };
  return indexFromBytes(canonicalJsonBytes(manifest), images);
}

/**
 * An image index from existing bytes (read from a layout or registry), kept exactly.
 * `images` must match the index's manifests one for one. Throws when they do not, when a
 * manifest has no platform or when two have the same platform.
 */
export function indexFromBytes(bytes: Uint8Array, images: readonly Image[]): ImageIndex {
  const digest = sha256Digest(bytes);
  const manifest = parseIndexManifest(bytes, `image index ${digest}`);
  if (manifest.manifests.length !== images.length) {
    throw new ImageModelError(
      `image index ${digest} lists ${manifest.manifests.length} manifests but ${images.length} images were given`,
    );
  }
  const seen = new Map<string, number>();
  manifest.manifests.forEach((d, i) => {
    if (d.digest !== images[i]?.digest)
      throw new ImageModelError(
        `image index ${digest} entry ${i} is ${d.digest} but the image given is ${images[i]?.digest}`,
      );
    if (d.platform === undefined)
      throw new ImageModelError(`image index ${digest} entry ${i} (${d.digest}) has no platform`);
    const key = platformKey(d.platform);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ImageModelError(
        `image index has two images for platform ${key} (entries ${first} and ${i}); give one image per platform`,
      );
    }
    seen.set(key, i);
  });
  const frozenImages = Object.freeze([...images]);
  return Object.freeze({
    manifest,
    manifests: manifest.manifests,
    images: frozenImages,
    ...(manifest.annotations === undefined ? {} : { annotations: manifest.annotations }),
    digest,
    manifestBytes: () => bytes,
    descriptor: (): Descriptor => ({
      mediaType: manifest.mediaType ?? MediaType.ociIndex,
      digest,
      size: bytes.byteLength,
    }),
  });
}
