import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { canonicalJsonBytes } from '@crossdock/oci';
import { digestHex, sha256Digest } from '@crossdock/oci';
import { DockerArchiveError } from './errors';
import type { Image } from '@crossdock/oci';
import { type TarHeader, encodeTarHeader, tarPadding, tarTrailer } from '@crossdock/oci';

/** A docker reference with a tag: `name[:port]/path:tag`, lower-case name. */
const REPO_TAG =
  /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*:[\w][\w.-]{0,127}$/;

/**
 * Writes `image` as a `docker save` archive at `path` (absolute) for `docker load`:
 * `manifest.json` ({Config, RepoTags, Layers}), the config blob as `<hex>.json` and each
 * layer as an uncompressed `<diff_id hex>/layer.tar`, each checked against its diff_id.
 * The archive is deterministic (mtime 0, root-owned) and written to a temporary file
 * that is renamed into place.
 */
export async function writeDockerArchive(
  path: string,
  image: Image,
  repoTag: string,
): Promise<void> {
  if (!isAbsolute(path))
    throw new DockerArchiveError(
      `docker archive path "${path}" is relative; give an absolute path`,
      path,
    );
  if (!REPO_TAG.test(repoTag)) {
    throw new DockerArchiveError(
      `repo tag "${repoTag}" is invalid; use a lower-case name with a tag, e.g. "crossdock/hello:latest"`,
      path,
    );
  }
  const configName = `${digestHex(sha256Digest(image.configBytes()))}.json`;
  const layerNames = image.layers.map((l) => `${digestHex(l.diffId)}/layer.tar`);
  const manifest = [{ Config: configName, RepoTags: [repoTag], Layers: layerNames }];
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const handle = await open(tmp, 'wx', 0o644);
  try {
    await writeEntry(handle, configName, image.configBytes());
    const written = new Set<string>();
    for (const [i, layer] of image.layers.entries()) {
      const name = layerNames[i] ?? '';
      if (written.has(name)) continue;
      const tar = await layer.openUncompressed();
      const diffId = sha256Digest(tar);
      if (diffId !== layer.diffId)
        throw new DockerArchiveError(
          `layer ${i} has diff_id ${diffId} but the image says ${layer.diffId}`,
          path,
        );
      await writeDir(handle, name.slice(0, name.indexOf('/') + 1));
      await writeEntry(handle, name, tar);
      written.add(name);
    }
    await writeEntry(handle, 'manifest.json', canonicalJsonBytes(manifest));
    await handle.write(tarTrailer());
    await handle.sync();
    await handle.close();
    await rename(tmp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    if (error instanceof DockerArchiveError) throw error;
    throw new DockerArchiveError(`cannot write docker archive ${path}`, path, { cause: error });
  }
}

const FILE: Omit<TarHeader, 'name' | 'size'> = {
  type: 'file',
  mode: 0o644,
  uid: 0,
  gid: 0,
  mtime: 0,
};

async function writeEntry(handle: FileHandle, name: string, data: Uint8Array): Promise<void> {
  await handle.write(encodeTarHeader({ ...FILE, name, size: data.byteLength }));
  await handle.write(data);
  await handle.write(tarPadding(data.byteLength));
}

async function writeDir(handle: FileHandle, name: string): Promise<void> {
  await handle.write(encodeTarHeader({ ...FILE, type: 'dir', mode: 0o755, name, size: 0 }));
}
