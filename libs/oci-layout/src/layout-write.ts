import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { Annotation } from '@crossdock/oci';
import { blobMismatch } from '@crossdock/oci';
import { canonicalJsonBytes } from '@crossdock/oci';
import type { Descriptor } from '@crossdock/oci';
import { OciLayoutError } from './errors';
import type { ImageIndex } from '@crossdock/oci';
import { IMAGE_LAYOUT_VERSION, INDEX_FILE, OCI_LAYOUT_FILE, layoutBlobPath } from './layout-paths';
import { replaceDirectory } from './layout-swap';
import { MediaType } from '@crossdock/oci';

/** Options of {@link writeOciLayout}. */
export interface WriteOciLayoutOptions {
  /** Written as `org.opencontainers.image.ref.name` on the index.json entry (e.g. "latest"). */
  readonly refName?: string;
}

const OPTION_KEYS: ReadonlySet<string> = new Set(['refName']);
/** image-spec annotations.md grammar for ref.name. */
const REF_NAME = /^[A-Za-z0-9]+(?:(?:[-._:@/+]|--)[A-Za-z0-9]+)*$/;

/**
 * Writes `index` as an OCI image layout in `dir` (absolute): `oci-layout`, every blob
 * once (layers, configs, manifests, the image index) and an `index.json` whose single
 * entry points at the image index. The layout is built in a sibling directory and
 * swapped in, so readers see the old layout or the new one, never a mix. Each layer's
 * bytes are checked against its descriptor. Returns the index.json entry.
 */
export async function writeOciLayout(
  dir: string,
  index: ImageIndex,
  options: WriteOciLayoutOptions = {},
): Promise<Descriptor> {
  const unknown = Object.keys(options).filter((k) => !OPTION_KEYS.has(k));
  if (unknown.length > 0)
    throw new OciLayoutError(
      `writeOciLayout: unknown option(s) ${unknown.join(', ')}; valid options are refName`,
      dir,
    );
  if (options.refName !== undefined && !REF_NAME.test(options.refName)) {
    throw new OciLayoutError(
      `ref name "${options.refName}" is invalid; use letters and digits separated by - . _ : @ / + (e.g. "latest", "v1.2.3")`,
      dir,
    );
  }
  const entry: Descriptor = {
    ...index.descriptor(),
    ...(options.refName === undefined
      ? {}
      : { annotations: { [Annotation.refName]: options.refName } }),
  };
  await replaceDirectory(dir, async (tmp) => {
    await mkdir(join(tmp, 'blobs', 'sha256'), { recursive: true });
    const written = new Set<string>();
    const put = async (
      descriptor: Descriptor,
      bytes: () => Promise<Uint8Array>,
      what: string,
    ): Promise<void> => {
      if (written.has(descriptor.digest)) return;
      const data = await bytes();
      const problem = blobMismatch(data, descriptor);
      if (problem !== undefined)
        throw new OciLayoutError(`${what}: ${problem}`, layoutBlobPath(dir, descriptor.digest));
      await writeFileSynced(layoutBlobPath(tmp, descriptor.digest), data);
      written.add(descriptor.digest);
    };
    for (const [i, image] of index.images.entries()) {
      for (const [j, layer] of image.layers.entries())
        await put(layer.descriptor, () => layer.open(), `image ${i} layer ${j}`);
      await put(image.manifest.config, async () => image.configBytes(), `image ${i} config`);
      await put(image.descriptor(), async () => image.manifestBytes(), `image ${i} manifest`);
    }
    await put(index.descriptor(), async () => index.manifestBytes(), 'image index');
    await writeFileSynced(
      join(tmp, OCI_LAYOUT_FILE),
      canonicalJsonBytes({ imageLayoutVersion: IMAGE_LAYOUT_VERSION }),
    );
    const top = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [entry] };
    await writeFileSynced(join(tmp, INDEX_FILE), canonicalJsonBytes(top));
  });
  return entry;
}

/** Writes a new file and flushes it to disk before the directory is swapped in. */
async function writeFileSynced(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
