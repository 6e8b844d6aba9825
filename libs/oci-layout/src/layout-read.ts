import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { Annotation } from '@crossdock/oci';
import { blobMismatch } from '@crossdock/oci';
import { parseImageConfig } from '@crossdock/oci';
import type { Descriptor } from '@crossdock/oci';
import { isDigest, sha256Digest } from '@crossdock/oci';
import { ImageModelError } from '@crossdock/oci';
import { OciLayoutError } from './errors';
import { type Image, imageFromBytes } from '@crossdock/oci';
import { type ImageIndex, indexFromBytes, indexFromImages } from '@crossdock/oci';
import { parseJsonObject } from '@crossdock/oci';
import { layerFromBlob } from '@crossdock/oci';
import { IMAGE_LAYOUT_VERSION, INDEX_FILE, OCI_LAYOUT_FILE, layoutBlobPath } from './layout-paths';
import { type IndexManifest, parseImageManifest, parseIndexManifest } from '@crossdock/oci';
import { isIndexMediaType, isManifestMediaType } from '@crossdock/oci';

/**
 * An OCI image layout on disk, read lazily: nothing but `oci-layout` is read until asked,
 * and every blob read is checked against its digest (and size, when known).
 */
export interface OciLayout {
  readonly dir: string;
  /** The top-level index.json. */
  index(): Promise<IndexManifest>;
  /**
   * The image index index.json points at (the entry named `refName`, or its only entry);
   * when index.json lists image manifests directly, an index of those images.
   */
  resolveIndex(refName?: string): Promise<ImageIndex>;
  /** A blob's bytes, verified against the digest (and the size, given a descriptor). */
  blob(digestOrDescriptor: string | Pick<Descriptor, 'digest' | 'size'>): Promise<Uint8Array>;
  /** The image a manifest descriptor points at; its layers are read only when opened. */
  image(descriptor: Descriptor): Promise<Image>;
}

/** Opens the OCI image layout in `dir` (absolute), checking its `oci-layout` file. */
export async function readOciLayout(dir: string): Promise<OciLayout> {
  if (!isAbsolute(dir))
    throw new OciLayoutError(`layout directory "${dir}" is relative; give an absolute path`, dir);
  const markerPath = join(dir, OCI_LAYOUT_FILE);
  const marker = parseAt(
    markerPath,
    await readLayoutFile(markerPath, 'layout marker'),
    parseJsonObject,
  );
  if (marker.imageLayoutVersion !== IMAGE_LAYOUT_VERSION) {
    throw new OciLayoutError(
      `${markerPath} has imageLayoutVersion ${JSON.stringify(marker.imageLayoutVersion)}; expected "${IMAGE_LAYOUT_VERSION}"`,
      markerPath,
    );
  }
  const indexPath = join(dir, INDEX_FILE);
  const layout: OciLayout = {
    dir,
    index: async () =>
      parseAt(indexPath, await readLayoutFile(indexPath, 'layout index'), parseIndexManifest),
    blob: async (wanted) => {
      const expected = typeof wanted === 'string' ? { digest: wanted, size: undefined } : wanted;
      if (!isDigest(expected.digest))
        throw new OciLayoutError(
          `"${expected.digest}" is not a sha256 digest (sha256:<64 hex>)`,
          dir,
        );
      const path = layoutBlobPath(dir, expected.digest);
      const bytes = await readLayoutFile(path, `blob ${expected.digest}`);
      const problem =
        expected.size === undefined
          ? sha256Digest(bytes) === expected.digest
            ? undefined
            : `blob ${expected.digest} has digest ${sha256Digest(bytes)}, expected ${expected.digest}`
          : blobMismatch(bytes, { digest: expected.digest, size: expected.size });
      if (problem !== undefined)
        throw new OciLayoutError(`${path}: ${problem}; the layout is corrupt, rewrite it`, path);
      return bytes;
    },
    image: (descriptor) => readImage(layout, descriptor),
    resolveIndex: async (refName) => {
      const top = await layout.index();
      const entries =
        refName === undefined
          ? top.manifests
          : top.manifests.filter((m) => m.annotations?.[Annotation.refName] === refName);
      if (entries.length === 0) {
        const names = top.manifests
          .map((m) => m.annotations?.[Annotation.refName])
          .filter((n) => n !== undefined);
        throw new OciLayoutError(
          `${indexPath} has no entry${refName === undefined ? '' : ` named "${refName}"`}; names present: ${names.join(', ') || 'none'}`,
          indexPath,
        );
      }
      if (entries.every((m) => isManifestMediaType(m.mediaType))) {
        return indexFromImages(await Promise.all(entries.map((m) => layout.image(m))));
      }
      const [only] = entries;
      if (entries.length !== 1 || only === undefined || !isIndexMediaType(only.mediaType)) {
        throw new OciLayoutError(
          `${indexPath} has ${entries.length} entries of mixed kinds; pass the ref name of one image index`,
          indexPath,
        );
      }
      const bytes = await layout.blob(only);
      const nested = parseAt(layoutBlobPath(dir, only.digest), bytes, parseIndexManifest);
      const images = await Promise.all(nested.manifests.map((m) => layout.image(m)));
      return wrap(layoutBlobPath(dir, only.digest), () => indexFromBytes(bytes, images));
    },
  };
  return layout;
}

async function readImage(layout: OciLayout, descriptor: Descriptor): Promise<Image> {
  const manifestPath = layoutBlobPath(layout.dir, descriptor.digest);
  if (!isManifestMediaType(descriptor.mediaType)) {
    throw new OciLayoutError(
      `${manifestPath} has media type ${descriptor.mediaType}; expected an image manifest`,
      manifestPath,
    );
  }
  const manifestBytes = await layout.blob(descriptor);
  const manifest = parseAt(manifestPath, manifestBytes, parseImageManifest);
  const configBytes = await layout.blob(manifest.config);
  const configPath = layoutBlobPath(layout.dir, manifest.config.digest);
  const config = parseAt(configPath, configBytes, parseImageConfig);
  if (config.rootfs.diff_ids.length !== manifest.layers.length) {
    throw new OciLayoutError(
      `${configPath} lists ${config.rootfs.diff_ids.length} diff_ids but manifest ${descriptor.digest} has ${manifest.layers.length} layers`,
      configPath,
    );
  }
  const layers = manifest.layers.map((d, i) =>
    wrap(manifestPath, () =>
      layerFromBlob(d, config.rootfs.diff_ids[i] ?? '', () => layout.blob(d)),
    ),
  );
  return wrap(manifestPath, () => imageFromBytes(manifestBytes, configBytes, layers));
}

async function readLayoutFile(path: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? String(error)})`;
    throw new OciLayoutError(`${what} ${path} ${reason}; is this an OCI image layout?`, path, {
      cause: error,
    });
  }
}

function parseAt<T>(
  path: string,
  bytes: Uint8Array,
  parse: (bytes: Uint8Array, source: string) => T,
): T {
  return wrap(path, () => parse(bytes, path));
}

/** Runs `f`, turning model errors into layout errors that name `path`. */
function wrap<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof ImageModelError)
      throw new OciLayoutError(
        error.message.includes(path) ? error.message : `${path}: ${error.message}`,
        path,
        { cause: error },
      );
    throw error;
  }
}
