import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { blobMismatch } from '@crossdock/oci';
import { digestFile } from '@crossdock/oci';
import { type ImageConfig, parseImageConfig } from '@crossdock/oci';
import type { Descriptor, OciPlatform } from '@crossdock/oci';
import { isDigest } from '@crossdock/oci';
import { OciValidationError } from './errors';
import { parseJsonObject } from '@crossdock/oci';
import { IMAGE_LAYOUT_VERSION, INDEX_FILE, OCI_LAYOUT_FILE, layoutBlobPath } from './layout-paths';
import { parseImageManifest, parseIndexManifest } from '@crossdock/oci';
import { MediaType, isIndexMediaType, isManifestMediaType } from '@crossdock/oci';
import { platformKey } from '@crossdock/oci';

/** One image a validation checked. */
export interface ValidatedImage {
  readonly digest: string;
  readonly platform?: OciPlatform;
  readonly layers: number;
}

/** What {@link validateLayout} checked in a valid layout. */
export interface ValidationReport {
  readonly dir: string;
  readonly indexes: readonly string[];
  readonly images: readonly ValidatedImage[];
  /** The number of distinct blobs whose size and digest were checked. */
  readonly blobs: number;
}

const GZIP_LAYERS: ReadonlySet<string> = new Set([MediaType.ociLayerGzip]);

/**
 * Checks an OCI image layout in full (a test helper, like ggcr's `validate`): the
 * `oci-layout` marker, index.json, that every referenced blob exists with the right size
 * and digest, OCI media types throughout, a platform on every entry of an image index
 * that matches its config's os/architecture/variant, unique platforms, and that each
 * config's diff_ids are the digests of the decompressed layers. Throws an
 * {@link OciValidationError} listing every problem found.
 */
export async function validateLayout(dir: string): Promise<ValidationReport> {
  const problems: string[] = [];
  const checked = new Set<string>();
  const indexes: string[] = [];
  const images: ValidatedImage[] = [];
  if (!isAbsolute(dir))
    throw new OciValidationError(dir, ['the layout directory must be an absolute path']);

  const readSmall = async (d: Descriptor, where: string): Promise<Uint8Array | undefined> => {
    if (!isDigest(d.digest))
      return void problems.push(`${where}: digest "${d.digest}" is not sha256:<64 hex>`);
    const bytes = await readFile(layoutBlobPath(dir, d.digest)).catch(() => undefined);
    if (bytes === undefined)
      return void problems.push(
        `${where}: blob ${d.digest} is missing (${layoutBlobPath(dir, d.digest)})`,
      );
    checked.add(d.digest);
    const problem = blobMismatch(bytes, d);
    if (problem !== undefined) return void problems.push(`${where}: ${problem}`);
    return bytes;
  };
  const tryParse = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  };

  const visitIndex = async (d: Descriptor, where: string): Promise<void> => {
    if (d.mediaType !== MediaType.ociIndex)
      problems.push(`${where}: media type ${d.mediaType}, expected ${MediaType.ociIndex}`);
    const bytes = await readSmall(d, where);
    const index =
      bytes && tryParse(() => parseIndexManifest(bytes, `${where} (image index ${d.digest})`));
    if (index === undefined) return;
    indexes.push(d.digest);
    if (index.mediaType !== d.mediaType)
      problems.push(
        `${where}: index mediaType ${index.mediaType} differs from its descriptor's ${d.mediaType}`,
      );
    const seen = new Set<string>();
    for (const [i, m] of index.manifests.entries()) {
      const at = `${where} → manifests[${i}]`;
      if (isManifestMediaType(m.mediaType)) {
        if (m.platform === undefined) problems.push(`${at}: no platform`);
        else if (seen.has(platformKey(m.platform)))
          problems.push(`${at}: platform ${platformKey(m.platform)} appears twice`);
        else seen.add(platformKey(m.platform));
      }
      await visit(m, at);
    }
  };

  const visitManifest = async (d: Descriptor, where: string): Promise<void> => {
    if (d.mediaType !== MediaType.ociManifest)
      problems.push(`${where}: media type ${d.mediaType}, expected ${MediaType.ociManifest}`);
    const bytes = await readSmall(d, where);
    const manifest =
      bytes && tryParse(() => parseImageManifest(bytes, `${where} (manifest ${d.digest})`));
    if (manifest === undefined) return;
    if (manifest.mediaType !== d.mediaType)
      problems.push(
        `${where}: manifest mediaType ${manifest.mediaType} differs from its descriptor's ${d.mediaType}`,
      );
    if (manifest.config.mediaType !== MediaType.ociConfig)
      problems.push(
        `${where}: config media type ${manifest.config.mediaType}, expected ${MediaType.ociConfig}`,
      );
    const configBytes = await readSmall(manifest.config, `${where} config`);
    const config =
      configBytes &&
      tryParse(() => parseImageConfig(configBytes, `${where} config ${manifest.config.digest}`));
    if (config !== undefined && d.platform !== undefined)
      checkPlatform(d.platform, config, where, problems);
    if (config !== undefined && config.rootfs.diff_ids.length !== manifest.layers.length) {
      problems.push(
        `${where}: config has ${config.rootfs.diff_ids.length} diff_ids for ${manifest.layers.length} layers`,
      );
    }
    for (const [i, layer] of manifest.layers.entries()) {
      await checkLayer(layer, config?.rootfs.diff_ids[i], `${where} layer ${i}`);
    }
    images.push({
      digest: d.digest,
      ...(d.platform === undefined ? {} : { platform: d.platform }),
      layers: manifest.layers.length,
    });
  };

  const checkLayer = async (
    layer: Descriptor,
    diffId: string | undefined,
    where: string,
  ): Promise<void> => {
    if (!GZIP_LAYERS.has(layer.mediaType) && layer.mediaType !== MediaType.ociLayerTar) {
      return void problems.push(
        `${where}: media type ${layer.mediaType}, expected ${MediaType.ociLayerGzip} or ${MediaType.ociLayerTar}`,
      );
    }
    if (!isDigest(layer.digest))
      return void problems.push(`${where}: digest "${layer.digest}" is not sha256:<64 hex>`);
    const gzip = GZIP_LAYERS.has(layer.mediaType);
    const path = layoutBlobPath(dir, layer.digest);
    const found = await digestFile(path, gzip).catch((error: unknown) => error as Error);
    if (found instanceof Error) {
      // A corrupt gzip stream fails to decompress; report the digest mismatch behind it.
      const raw = await digestFile(path, false).catch(() => undefined);
      if (raw === undefined)
        return void problems.push(`${where}: blob ${layer.digest} is missing (${path})`);
      checked.add(layer.digest);
      if (raw.size !== layer.size)
        problems.push(
          `${where}: blob ${layer.digest} has size ${raw.size}, expected ${layer.size}`,
        );
      if (raw.digest !== layer.digest)
        problems.push(`${where}: blob ${layer.digest} has digest ${raw.digest}`);
      return void problems.push(
        `${where}: blob ${layer.digest} cannot be decompressed: ${found.message}`,
      );
    }
    checked.add(layer.digest);
    if (found.size !== layer.size)
      problems.push(
        `${where}: blob ${layer.digest} has size ${found.size}, expected ${layer.size}`,
      );
    if (found.digest !== layer.digest)
      problems.push(`${where}: blob ${layer.digest} has digest ${found.digest}`);
    const uncompressed = found.uncompressedDigest ?? found.digest;
    if (diffId !== undefined && uncompressed !== diffId)
      problems.push(
        `${where}: decompressed digest ${uncompressed} differs from config diff_id ${diffId}`,
      );
  };

  const visit = async (d: Descriptor, where: string): Promise<void> => {
    if (isIndexMediaType(d.mediaType)) await visitIndex(d, where);
    else if (isManifestMediaType(d.mediaType)) await visitManifest(d, where);
    else problems.push(`${where}: unknown media type ${d.mediaType}`);
  };

  const marker = await readFile(join(dir, OCI_LAYOUT_FILE)).catch(() => undefined);
  if (marker === undefined) problems.push(`${join(dir, OCI_LAYOUT_FILE)} is missing`);
  else {
    const json = tryParse(() => parseJsonObject(marker, join(dir, OCI_LAYOUT_FILE)));
    if (json !== undefined && json.imageLayoutVersion !== IMAGE_LAYOUT_VERSION) {
      problems.push(
        `${join(dir, OCI_LAYOUT_FILE)}: imageLayoutVersion ${JSON.stringify(json.imageLayoutVersion)}, expected "${IMAGE_LAYOUT_VERSION}"`,
      );
    }
  }
  const indexPath = join(dir, INDEX_FILE);
  const topBytes = await readFile(indexPath).catch(() => undefined);
  if (topBytes === undefined) problems.push(`${indexPath} is missing`);
  const top = topBytes && tryParse(() => parseIndexManifest(topBytes, indexPath));
  if (top !== undefined) {
    if (top.mediaType !== undefined && top.mediaType !== MediaType.ociIndex)
      problems.push(`${indexPath}: mediaType ${top.mediaType}, expected ${MediaType.ociIndex}`);
    for (const [i, d] of top.manifests.entries()) await visit(d, `${INDEX_FILE} manifests[${i}]`);
  }
  if (problems.length > 0) throw new OciValidationError(dir, problems);
  return { dir, indexes, images, blobs: checked.size };
}

function checkPlatform(
  platform: OciPlatform,
  config: ImageConfig,
  where: string,
  problems: string[],
): void {
  for (const key of ['os', 'architecture', 'variant'] as const) {
    if ((platform[key] ?? '') !== (config[key] ?? '')) {
      problems.push(
        `${where}: descriptor platform ${key} "${platform[key] ?? ''}" differs from config ${key} "${config[key] ?? ''}"`,
      );
    }
  }
}
