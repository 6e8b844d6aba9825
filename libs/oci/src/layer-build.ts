import { lstat, readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { ImageModelError } from './errors';
import { type FileEntry, normalizeEntries } from './file-entry';
import { checkCompressionLevel } from './gzip';
import { type Layer, layerFromTar } from './layer';
import { type TarRecord, writeTar } from './tar';

/** Options of {@link buildLayer}. */
export interface BuildLayerOptions {
  /** The modification time of every entry, in unix seconds. */
  readonly mtime: number;
  /** zlib level 0..9; default 6. */
  readonly compressionLevel?: number;
}

const OPTION_KEYS: ReadonlySet<string> = new Set(['mtime', 'compressionLevel']);

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
      `buildLayer: unknown option(s) ${unknown.join(', ')}; valid options are mtime, compressionLevel`,
    );
  if (!Number.isInteger(options.mtime) || options.mtime < 0) {
    throw new ImageModelError(
      `buildLayer: mtime ${String(options.mtime)} is invalid; give whole unix seconds (e.g. 0, or SOURCE_DATE_EPOCH)`,
    );
  }
  if (options.compressionLevel !== undefined) checkCompressionLevel(options.compressionLevel);
  const records: TarRecord[] = [];
  for (const entry of normalizeEntries(entries)) {
    const data = entry.type === 'file' ? await readContent(entry) : undefined;
    records.push({
      header: {
        name: entry.type === 'dir' ? `${entry.path}/` : entry.path,
        type: entry.type,
        mode: entry.mode,
        uid: entry.uid,
        gid: entry.gid,
        size: data?.byteLength ?? 0,
        mtime: options.mtime,
        ...(entry.linkTarget === undefined ? {} : { linkname: entry.linkTarget }),
      },
      ...(data === undefined ? {} : { data }),
    });
  }
  return layerFromTar(
    writeTar(records),
    options.compressionLevel === undefined ? {} : { compressionLevel: options.compressionLevel },
  );
}

async function readContent(entry: FileEntry): Promise<Uint8Array> {
  const content = entry.content;
  if (content === undefined) return new Uint8Array(0);
  if (content instanceof Uint8Array) return content;
  if (!isAbsolute(content.path)) {
    throw new ImageModelError(
      `content of "${entry.path}" is read from relative path "${content.path}"; give an absolute path`,
    );
  }
  try {
    const stat = await lstat(content.path);
    if (!stat.isFile())
      throw new ImageModelError(
        `content of "${entry.path}" must be a regular file, but "${content.path}" is not`,
      );
    return await readFile(content.path);
  } catch (error) {
    if (error instanceof ImageModelError) throw error;
    throw new ImageModelError(`cannot read content of "${entry.path}" from "${content.path}"`, {
      cause: error,
    });
  }
}
