import { isAbsolute } from 'node:path';
import { parseImageConfig } from '@crossdock/oci';
import { sha256Digest } from '@crossdock/oci';
import { ImageModelError } from '@crossdock/oci';
import { DockerArchiveError } from './errors';
import { gunzip, isGzip } from '@crossdock/oci';
import { type Image, imageFromConfigBytes } from '@crossdock/oci';
import { type CompressOptions, type Layer, layerFromBlob, layerFromTar } from '@crossdock/oci';
import { parseDockerArchiveManifest } from './docker-manifest';
import { MediaType } from '@crossdock/oci';
import { type TarEntry, readTarFileData, readTarFileIndex } from '@crossdock/oci';

/** One image of a docker archive and the tags it was saved with. */
export interface DockerArchiveImage {
  readonly repoTags: readonly string[];
  readonly image: Image;
}

/**
 * The images of a `docker save` archive (absolute path), as OCI images: each config is
 * kept byte for byte (its digest stays the docker image ID); uncompressed layer tars are
 * gzip-compressed deterministically, gzip layers are kept; every layer's diff_id is
 * checked against the config. Layer bytes are held in memory.
 */
export async function readDockerArchive(
  path: string,
  options: CompressOptions = {},
): Promise<readonly DockerArchiveImage[]> {
  if (!isAbsolute(path))
    throw new DockerArchiveError(
      `docker archive path "${path}" is relative; give an absolute path`,
      path,
    );
  const fail = (message: string, cause?: unknown): never => {
    throw new DockerArchiveError(`${path}: ${message}`, path, cause === undefined ? {} : { cause });
  };
  const index = await readTarFileIndex(path).catch((error: unknown) =>
    fail('cannot read it as a tar archive', error),
  );
  const byName = new Map<string, TarEntry>(index.map((e) => [cleanName(e.name), e]));
  const read = async (name: string, what: string): Promise<Uint8Array> => {
    const entry = byName.get(cleanName(name));
    if (entry === undefined || entry.type !== 'file')
      return fail(`${what} "${name}" is missing from the archive`);
    return readTarFileData(path, entry);
  };
  const manifestBytes = await read('manifest.json', 'manifest');
  const entries = guard(fail, () => parseDockerArchiveManifest(manifestBytes, 'manifest.json'));
  const images: DockerArchiveImage[] = [];
  for (const entry of entries) {
    const configBytes = await read(entry.Config, 'config');
    const config = guard(fail, () => parseImageConfig(configBytes, `config ${entry.Config}`));
    if (config.rootfs.diff_ids.length !== entry.Layers.length) {
      fail(
        `config ${entry.Config} lists ${config.rootfs.diff_ids.length} diff_ids but manifest.json lists ${entry.Layers.length} layers`,
      );
    }
    const layers: Layer[] = [];
    for (const [i, layerPath] of entry.Layers.entries()) {
      const bytes = await read(layerPath, 'layer');
      const tar = isGzip(bytes) ? await gunzip(bytes) : bytes;
      const diffId = sha256Digest(tar);
      if (diffId !== config.rootfs.diff_ids[i])
        fail(
          `layer ${i} (${layerPath}) has diff_id ${diffId} but the config says ${config.rootfs.diff_ids[i]}`,
        );
      layers.push(
        isGzip(bytes)
          ? layerFromBlob(
              {
                mediaType: MediaType.ociLayerGzip,
                digest: sha256Digest(bytes),
                size: bytes.byteLength,
              },
              diffId,
              async () => bytes,
            )
          : await layerFromTar(tar, options),
      );
    }
    const image = guard(fail, () => imageFromConfigBytes(configBytes, layers));
    images.push({ repoTags: entry.RepoTags ?? [], image });
  }
  return images;
}

function cleanName(name: string): string {
  return name.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
}

function guard<T>(fail: (message: string, cause?: unknown) => never, f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof ImageModelError) return fail(error.message, error);
    throw error;
  }
}
