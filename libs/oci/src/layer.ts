import type { Blob, Opener } from './blob';
import type { Descriptor } from './descriptor';
import { isDigest, sha256Digest } from './digest';
import { ImageModelError } from './errors';
import { DEFAULT_COMPRESSION_LEVEL, type DeflateCache, gunzip, gzipSegments } from './gzip';
import { MediaType } from './media-types';
import { joinSegments, segmentsLength, segmentsOf, type Segments } from './segments';

/**
 * An image layer: a blob (the compressed tar, as the manifest lists it) plus its diff_id,
 * the digest of the uncompressed tar that the image config lists. Both are known without
 * reading the layer; `open()` and `openUncompressed()` may be called any number of times.
 */
export interface Layer extends Blob {
  readonly diffId: string;
  openUncompressed(): Promise<Uint8Array>;
}

/** Options for compressing a layer. */
export interface CompressOptions {
  /** zlib level 0..9; default {@link DEFAULT_COMPRESSION_LEVEL}. */
  readonly compressionLevel?: number;
  /** Deflate bytes of earlier pieces to reuse, and to keep this layer's in (see gzipDeterministic). */
  readonly deflateCache?: DeflateCache;
}

const GZIP_LAYER_TYPES: ReadonlySet<string> = new Set([
  MediaType.ociLayerGzip,
  MediaType.dockerLayerGzip,
]);

/**
 * A layer from an existing blob (a base image layer, a layer in a layout or registry),
 * reused unchanged: its bytes come from `opener`, called only when needed.
 */
export function layerFromBlob(descriptor: Descriptor, diffId: string, opener: Opener): Layer {
  if (!isDigest(descriptor.digest))
    throw new ImageModelError(
      `layer digest "${descriptor.digest}" is not a sha256 digest (sha256:<64 hex>)`,
    );
  if (!isDigest(diffId))
    throw new ImageModelError(
      `diff_id "${diffId}" of layer ${descriptor.digest} is not a sha256 digest (sha256:<64 hex>)`,
    );
  const compressed = GZIP_LAYER_TYPES.has(descriptor.mediaType);
  if (!compressed && descriptor.mediaType !== MediaType.ociLayerTar) {
    throw new ImageModelError(
      `layer ${descriptor.digest} has media type "${descriptor.mediaType}"; crossdock supports ${[...GZIP_LAYER_TYPES, MediaType.ociLayerTar].join(', ')}`,
    );
  }
  return {
    descriptor,
    diffId,
    open: opener,
    openUncompressed: async () => (compressed ? gunzip(await opener()) : opener()),
  };
}

/**
 * A gzip layer made from an uncompressed tar (one array, or its segments in order: see
 * segments.ts), compressed deterministically (the docker archive reader uses it so the
 * engine's output becomes ordinary OCI layers). The compressed bytes are kept in memory.
 */
export async function layerFromTar(
  tar: Uint8Array | Segments,
  options: CompressOptions = {},
): Promise<Layer> {
  const segments = segmentsOf(tar);
  // gzip runs on the thread pool while the main thread takes the diff_id.
  const compressing = gzipSegments(
    segments,
    options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL,
    options.deflateCache,
  );
  const diffId = sha256Digest(segments);
  // The gzip stream stays in its parts (no copy into one array) until someone asks for one.
  const compressed = await compressing;
  const descriptor: Descriptor = {
    mediaType: MediaType.ociLayerGzip,
    digest: sha256Digest(compressed),
    size: segmentsLength(compressed),
  };
  let whole: Uint8Array | undefined;
  let joined: Uint8Array | undefined;
  return {
    descriptor,
    diffId,
    open: async () => (joined ??= joinSegments(compressed)),
    openSegments: async () => compressed,
    openUncompressed: async () => (whole ??= joinSegments(segments)),
  };
}

/** True when `mediaType` is a layer type crossdock can read. */
export function isLayerMediaType(mediaType: string): boolean {
  return GZIP_LAYER_TYPES.has(mediaType) || mediaType === MediaType.ociLayerTar;
}
