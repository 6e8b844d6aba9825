import type { Annotations } from './annotations';
import { canonicalJsonBytes } from './canonical-json';
import { type ImageConfig, parseImageConfig, platformOfConfig } from './config';
import type { Descriptor, OciPlatform } from './descriptor';
import { sha256Digest } from './digest';
import { ImageModelError } from './errors';
import type { Layer } from './layer';
import { type ImageManifest, parseImageManifest } from './manifest';
import { MediaType } from './media-types';

/**
 * One single-platform image: its manifest, config and layers, with the exact bytes
 * whose digests the manifest and descriptor carry. An Image never changes; the
 * functions in `mutate` return new ones.
 */
export interface Image {
  readonly manifest: ImageManifest;
  readonly config: ImageConfig;
  readonly layers: readonly Layer[];
  /** The digest of the manifest bytes. */
  readonly digest: string;
  manifestBytes(): Uint8Array;
  configBytes(): Uint8Array;
  /** The manifest descriptor, with `platform` (default: the config's platform). */
  descriptor(platform?: OciPlatform): Descriptor;
}

/** The parts of a new image: config (its rootfs is derived from `layers`), layers, manifest annotations. */
export interface ImageParts {
  readonly config: Omit<ImageConfig, 'rootfs'> & { readonly rootfs?: ImageConfig['rootfs'] };
  readonly layers: readonly Layer[];
  readonly annotations?: Annotations;
}

/** Docker layer media types and the OCI types for the same bytes. */
const OCI_LAYER_TYPE: Readonly<Record<string, string>> = {
  [MediaType.dockerLayerGzip]: MediaType.ociLayerGzip,
};

/** An image with no layers for `platform`; the start of every image crossdock builds from scratch. */
export function emptyImage(platform: OciPlatform): Image {
  return imageFromParts({ config: { ...platform, config: {} }, layers: [] });
}

/**
 * A new OCI image from parts: the config gets `rootfs.diff_ids` from the layers and is
 * serialised canonically; the manifest lists the config and layer descriptors (Docker
 * layer types mapped to their OCI names).
 */
export function imageFromParts(parts: ImageParts): Image {
  const diffIds = parts.layers.map((l) => l.diffId);
  const given = parts.config.rootfs?.diff_ids;
  if (
    given !== undefined &&
    (given.length !== diffIds.length || given.some((d, i) => d !== diffIds[i]))
  ) {
    throw new ImageModelError(
      `config rootfs.diff_ids [${given.join(', ')}] do not match the layers' diff_ids [${diffIds.join(', ')}]`,
    );
  }
  const config: ImageConfig = { ...parts.config, rootfs: { type: 'layers', diff_ids: diffIds } };
  return imageFromConfigBytes(canonicalJsonBytes(config), parts.layers, parts.annotations);
}

/**
 * An OCI image whose config is given as bytes, kept exactly (a `docker save` config,
 * whose digest is the image ID); a new canonical manifest is made for it.
 */
export function imageFromConfigBytes(
  configBytes: Uint8Array,
  layers: readonly Layer[],
  annotations?: Annotations,
): Image {
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: {
      mediaType: MediaType.ociConfig,
      digest: sha256Digest(configBytes),
      size: configBytes.byteLength,
    },
    layers: layers.map((l) => ({
      ...l.descriptor,
      mediaType: OCI_LAYER_TYPE[l.descriptor.mediaType] ?? l.descriptor.mediaType,
      platform: undefined,
    })),
    ...(annotations === undefined || Object.keys(annotations).length === 0 ? {} : { annotations }),
  };
  return imageFromBytes(canonicalJsonBytes(manifest), configBytes, layers);
}

/**
 * An image from existing manifest and config bytes (read from a layout, archive or
 * registry), kept exactly so its digest is unchanged. Throws when the bytes and layers
 * do not agree (config digest, layer digests, diff_ids).
 */
export function imageFromBytes(
  manifestBytes: Uint8Array,
  configBytes: Uint8Array,
  layers: readonly Layer[],
): Image {
  const digest = sha256Digest(manifestBytes);
  const manifest = parseImageManifest(manifestBytes, `manifest ${digest}`);
  const config = parseImageConfig(configBytes, `config ${manifest.config.digest}`);
  const configDigest = sha256Digest(configBytes);
  if (configDigest !== manifest.config.digest || configBytes.byteLength !== manifest.config.size) {
    throw new ImageModelError(
      `manifest ${digest} names config ${manifest.config.digest} (${manifest.config.size} bytes) but the config given is ${configDigest} (${configBytes.byteLength} bytes)`,
    );
  }
  checkLayers(digest, manifest, config, layers);
  const frozenLayers = Object.freeze([...layers]);
  return Object.freeze({
    manifest,
    config,
    layers: frozenLayers,
    digest,
    manifestBytes: () => manifestBytes,
    configBytes: () => configBytes,
    descriptor: (platform?: OciPlatform): Descriptor => ({
      mediaType: manifest.mediaType,
      digest,
      size: manifestBytes.byteLength,
      platform: platform ?? platformOfConfig(config),
    }),
  });
}

function checkLayers(
  digest: string,
  manifest: ImageManifest,
  config: ImageConfig,
  layers: readonly Layer[],
): void {
  const where = `manifest ${digest}`;
  if (manifest.layers.length !== layers.length)
    throw new ImageModelError(
      `${where} lists ${manifest.layers.length} layers but ${layers.length} were given`,
    );
  if (config.rootfs.diff_ids.length !== layers.length) {
    throw new ImageModelError(
      `${where}: config lists ${config.rootfs.diff_ids.length} diff_ids for ${layers.length} layers`,
    );
  }
  layers.forEach((layer, i) => {
    if (layer.descriptor.digest !== manifest.layers[i]?.digest) {
      throw new ImageModelError(
        `${where} layer ${i} is ${manifest.layers[i]?.digest} but the layer given is ${layer.descriptor.digest}`,
      );
    }
    if (layer.diffId !== config.rootfs.diff_ids[i]) {
      throw new ImageModelError(
        `${where} layer ${i}: config diff_id ${config.rootfs.diff_ids[i]} but the layer's diff_id is ${layer.diffId}`,
      );
    }
  });
}
