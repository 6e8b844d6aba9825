import { lstat, open } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { ImageModelError } from './errors';
import { type FileEntry, normalizeEntries } from './file-entry';
import { checkCompressionLevel, type DeflateCache } from './gzip';
import { type Layer, layerFromTar } from './layer';
import { tarSegments, type TarRecord } from './tar';

/** Options of {@link buildLayer}. */
export interface BuildLayerOptions {
  /** The modification time of every entry, in unix seconds. */
  readonly mtime: number;
  /** zlib level 0..9; default 6. */
  readonly compressionLevel?: number;
  /** Deflate bytes of earlier pieces to reuse, and to keep this layer's in (see gzipDeterministic). */
  readonly deflateCache?: DeflateCache;
}

const OPTION_KEYS: ReadonlySet<string> = new Set(['mtime', 'compressionLevel', 'deflateCache']);

/**
 * A deterministic gzip layer holding `entries`: sorted parents first, missing parent
 * directories added, numeric owners only, one fixed mtime, no atime/ctime, PAX headers
 * only where ustar cannot hold a value. The same entries and options always give the same
 * diff_id, and the same digest for one zlib build.
 */
export async function buildLayer(
  entries: readonly FileEntry[],
  options: BuildLayerOptions,
): Promise<Layer> {
  const unknown = Object.keys(options).filter((k) => !OPTION_KEYS.has(k));
  if (unknown.length > 0)
    throw new ImageModelError(
      `buildLayer: unknown option(s) ${unknown.join(', ')}; valid options are mtime, compressionLevel, deflateCache`,
    );
  if (!Number.isInteger(options.mtime) || options.mtime < 0) {
    throw new ImageModelError(
      `buildLayer: mtime ${String(options.mtime)} is invalid; give whole unix seconds (e.g. 0, or SOURCE_DATE_EPOCH)`,
    );
  }
  if (options.compressionLevel !== undefined) checkCompressionLevel(options.compressionLevel);
  // Files on disk are read straight into their place in the archive (their size from lstat first).
  const entriesInOrder = normalizeEntries(entries);
  const records: TarRecord[] = [];
  const fromDisk = new Map<number, string>();
  for (const [i, entry] of entriesInOrder.entries()) {
    const content = entry.type === 'file' ? await contentOf(entry) : undefined;
    const size =
      content === undefined ? 0 : 'bytes' in content ? content.bytes.byteLength : content.size;
    if (content !== undefined && 'path' in content) fromDisk.set(i, content.path);
    records.push({
      header: {
        name: entry.type === 'dir' ? `${entry.path}/` : entry.path,
        type: entry.type,
        mode: entry.mode,
        uid: entry.uid,
        gid: entry.gid,
        size,
        mtime: options.mtime,
        ...(entry.linkTarget === undefined ? {} : { linkname: entry.linkTarget }),
      },
      ...(content !== undefined && 'bytes' in content ? { data: content.bytes } : {}),
    });
  }
  const { segments, holes } = tarSegments(records);
  for (const [i, hole] of holes) await readExactly(entriesInOrder[i]!.path, fromDisk.get(i)!, hole);
  return layerFromTar(segments, {
    ...(options.compressionLevel === undefined
      ? {}
      : { compressionLevel: options.compressionLevel }),
    ...(options.deflateCache === undefined ? {} : { deflateCache: options.deflateCache }),
  });
}

/** A file entry's content: its bytes, or the regular file it is read from and that file's size. */
async function contentOf(
  entry: FileEntry,
): Promise<{ bytes: Uint8Array } | { path: string; size: number }> {
  const content = entry.content;
  if (content === undefined) return { bytes: new Uint8Array(0) };
  if (content instanceof Uint8Array) return { bytes: content };
  if (!isAbsolute(content.path)) {
    throw new ImageModelError(
      `content of "${entry.path}" is read from relative path "${content.path}"; give an absolute path`,
    );
  }
  const stat = await lstat(content.path).catch((error: unknown) => {
    throw new ImageModelError(`cannot read content of "${entry.path}" from "${content.path}"`, {
      cause: error,
    });
  });
  if (!stat.isFile())
    throw new ImageModelError(
      `content of "${entry.path}" must be a regular file, but "${content.path}" is not`,
    );
  return { path: content.path, size: stat.size };
}

/** Reads the file into `target`, which must be exactly its size: a file that changed size meanwhile is an error. */
async function readExactly(entryPath: string, path: string, target: Uint8Array): Promise<void> {
  const changed = () =>
    new ImageModelError(
      `content of "${entryPath}" changed size while the layer was built from "${path}"; build again`,
    );
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new ImageModelError(`cannot read content of "${entryPath}" from "${path}"`, {
      cause: error,
    });
  }
  try {
    for (let offset = 0; offset < target.byteLength;) {
      const { bytesRead } = await handle.read(target, offset, target.byteLength - offset, offset);
      if (bytesRead === 0) throw changed();
      offset += bytesRead;
    }
    const { bytesRead } = await handle.read(new Uint8Array(1), 0, 1, target.byteLength);
    if (bytesRead !== 0) throw changed();
  } finally {
    await handle.close();
  }
}
