import {
  chmod,
  link,
  lstat,
  mkdir,
  readdir,
  realpath,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { RootfsError } from './errors';
import { whiteoutOf } from './flatten';
import type { Image } from '@crossdock/oci';
import { resolveInRoot } from './root-path';
import { type TarEntryWithData, readTar } from '@crossdock/oci';

/** What {@link extractRootfs} or {@link applyLayer} did. */
export interface ExtractReport {
  /** Entries written (files, directories, links). */
  readonly written: number;
  /** Whiteouts applied. */
  readonly whiteouts: number;
  /** Entries not extracted (devices, fifos), by name. */
  readonly skipped: readonly string[];
}

/**
 * Extracts an image's root filesystem into `targetDir` (absolute; created if missing),
 * applying the layers bottom first with OCI whiteouts, as a container runtime would; for
 * smoke runs under `qemu-<arch> -L <dir>`. Owners and mtimes are not applied.
 */
export async function extractRootfs(image: Image, targetDir: string): Promise<ExtractReport> {
  let total: ExtractReport = { written: 0, whiteouts: 0, skipped: [] };
  for (const layer of image.layers) {
    const report = await applyLayer(await layer.openUncompressed(), targetDir);
    total = {
      written: total.written + report.written,
      whiteouts: total.whiteouts + report.whiteouts,
      skipped: [...total.skipped, ...report.skipped],
    };
  }
  return total;
}

/**
 * Applies one uncompressed layer tar onto the directory `targetDir`: whiteouts first
 * (`.wh.<name>` deletes a lower path, `.wh..wh..opq` empties a lower directory), then
 * files, directories, symlinks and hard links. Entry names with `..` are refused; paths
 * through symlinks are resolved inside `targetDir`, so nothing is written outside it.
 */
export async function applyLayer(tar: Uint8Array, targetDir: string): Promise<ExtractReport> {
  if (!isAbsolute(targetDir))
    throw new RootfsError(`target directory "${targetDir}" is relative; give an absolute path`, '');
  await mkdir(targetDir, { recursive: true });
  const root = await realpath(targetDir);
  const entries = (await readTar(tar))
    .map((e) => ({ entry: e, path: entryPath(e.name) }))
    .filter((e) => e.path !== '');
  let whiteouts = 0;
  for (const { path } of entries) {
    const whiteout = whiteoutOf(path);
    if (whiteout === undefined) continue;
    whiteouts++;
    const dir = await resolveInRoot(root, whiteout.dir, { followLast: true }).catch(
      () => undefined,
    );
    if (dir === undefined) continue;
    if (whiteout.kind === 'opaque') {
      const children = await readdir(dir).catch(() => []);
      for (const child of children) await rm(join(dir, child), { recursive: true, force: true });
    } else {
      if (whiteout.name === '') throw new RootfsError(`whiteout "${path}" names no file`, path);
      await rm(join(dir, whiteout.name), { recursive: true, force: true });
    }
  }
  let written = 0;
  const skipped: string[] = [];
  const dirModes: { path: string; mode: number }[] = [];
  for (const { entry, path } of entries) {
    if (whiteoutOf(path) !== undefined) continue;
    if (entry.type === 'other') {
      skipped.push(path);
      continue;
    }
    const dest = await resolveInRoot(root, path, { createParents: true });
    await writeEntry(root, entry, path, dest, dirModes);
    written++;
  }
  for (const { path, mode } of dirModes.reverse()) await chmod(path, mode);
  return { written, whiteouts, skipped };
}

async function writeEntry(
  root: string,
  entry: TarEntryWithData,
  path: string,
  dest: string,
  dirModes: { path: string; mode: number }[],
): Promise<void> {
  const mode = entry.mode & 0o7777;
  const existing = await lstat(dest).catch(() => undefined);
  if (entry.type === 'dir') {
    if (existing !== undefined && !existing.isDirectory())
      await rm(dest, { recursive: true, force: true });
    if (existing === undefined || !existing.isDirectory()) await mkdir(dest, { mode: 0o755 });
    dirModes.push({ path: dest, mode });
    return;
  }
  if (existing !== undefined) await rm(dest, { recursive: true, force: true });
  if (entry.type === 'file') {
    await writeFile(dest, entry.data, { mode });
    await chmod(dest, mode);
  } else if (entry.type === 'symlink') {
    await symlink(entry.linkname, dest);
  } else {
    const source = await resolveInRoot(root, entryPath(entry.linkname));
    const stat = await lstat(source).catch(() => undefined);
    if (stat === undefined || stat.isDirectory()) {
      throw new RootfsError(
        `hard link "${path}" points at "${entry.linkname}", which is ${stat === undefined ? 'missing' : 'a directory'}`,
        path,
      );
    }
    await link(source, dest);
  }
}

/** An entry name without leading "./" or "/" and trailing "/"; refuses ".." components. */
function entryPath(name: string): string {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..'))
    throw new RootfsError(
      `tar entry "${name}" has a '..' component and would escape the root filesystem`,
      name,
    );
  return parts.join('/');
}
