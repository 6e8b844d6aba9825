import { ImageModelError } from './errors';

/** The kinds of file a layer can hold. */
export type FileEntryType = 'file' | 'dir' | 'symlink';

/** File content: bytes in memory, or a regular file on disk given by absolute path. */
export type FileContent = Uint8Array | { readonly path: string };

/**
 * One file, directory or symlink to put in a layer. `path` is relative to the image root
 * with no `./` or leading `/` (`usr/local/bin/hello`); `mode` holds permission bits only
 * (0..0o7777); `content` is for files (absent: empty); `linkTarget` is for symlinks.
 */
export interface FileEntry {
  readonly path: string;
  readonly type: FileEntryType;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly content?: FileContent;
  readonly linkTarget?: string;
}

/** Mode, uid and gid of the parent directories a layer adds implicitly. */
export const IMPLICIT_DIR = { mode: 0o755, uid: 0, gid: 0 } as const;

const ENTRY_KEYS: ReadonlySet<string> = new Set([
  'path',
  'type',
  'mode',
  'uid',
  'gid',
  'content',
  'linkTarget',
]);
const MAX_ID = 2 ** 32 - 1;

/**
 * The normal form of a layer path: components joined by '/', without a trailing '/'.
 * Throws for absolute paths, empty, '.' or '..' components and NUL bytes.
 */
export function normalizeEntryPath(path: string): string {
  const bare = path.endsWith('/') ? path.slice(0, -1) : path;
  const problem = path.startsWith('/')
    ? 'is absolute'
    : bare === ''
      ? 'is empty'
      : path.includes('\0')
        ? 'contains a NUL byte'
        : bare.split('/').some((c) => c === '..')
          ? "has a '..' component"
          : bare.split('/').some((c) => c === '.' || c === '')
            ? "has an empty or '.' component"
            : undefined;
  if (problem !== undefined) {
    throw new ImageModelError(
      `layer path "${path}" ${problem}; use a relative path inside the image such as "usr/local/bin/app"`,
    );
  }
  return bare;
}

/** Orders paths component by component (UTF-8 bytes), so a directory precedes its contents. */
export function compareEntryPaths(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const c = Buffer.compare(Buffer.from(as[i] ?? ''), Buffer.from(bs[i] ?? ''));
    if (c !== 0) return c;
  }
  return as.length - bs.length;
}

/**
 * The entries of a layer in their final form: each checked, paths normalised, the
 * missing parent directories added (0755, root-owned), sorted parents first. Throws for
 * duplicate paths and for entries inside a file or symlink. Does not change `entries`.
 */
export function normalizeEntries(entries: readonly FileEntry[]): readonly FileEntry[] {
  const byPath = new Map<string, FileEntry>();
  entries.forEach((entry, index) => {
    const checked = checkEntry(entry, index);
    if (byPath.has(checked.path)) {
      throw new ImageModelError(
        `layer path "${checked.path}" appears twice (entry ${index} repeats an earlier one); give each path once`,
      );
    }
    byPath.set(checked.path, checked);
  });
  for (const path of [...byPath.keys()]) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      const existing = byPath.get(parent);
      if (existing === undefined)
        byPath.set(parent, { path: parent, type: 'dir', ...IMPLICIT_DIR });
      else if (existing.type !== 'dir') {
        throw new ImageModelError(
          `layer path "${path}" is inside "${parent}", which is a ${existing.type}, not a directory`,
        );
      }
    }
  }
  return [...byPath.values()].sort((a, b) => compareEntryPaths(a.path, b.path));
}

function checkEntry(entry: FileEntry, index: number): FileEntry {
  const where = `layer entry ${index} ("${String(entry.path)}")`;
  const unknown = Object.keys(entry).filter((k) => !ENTRY_KEYS.has(k));
  if (unknown.length > 0)
    throw new ImageModelError(
      `${where} has unknown key(s) ${unknown.join(', ')}; valid keys are ${[...ENTRY_KEYS].join(', ')}`,
    );
  if (typeof entry.path !== 'string') throw new ImageModelError(`${where} has no path`);
  const path = normalizeEntryPath(entry.path);
  if (entry.type !== 'file' && entry.type !== 'dir' && entry.type !== 'symlink') {
    throw new ImageModelError(
      `${where} has type "${String(entry.type)}"; use "file", "dir" or "symlink"`,
    );
  }
  if (!Number.isInteger(entry.mode) || entry.mode < 0 || entry.mode > 0o7777) {
    throw new ImageModelError(
      `${where} has mode ${String(entry.mode)}; give permission bits only, 0 to 0o7777 (e.g. 0o755)`,
    );
  }
  for (const key of ['uid', 'gid'] as const) {
    const id = entry[key];
    if (!Number.isInteger(id) || id < 0 || id > MAX_ID)
      throw new ImageModelError(
        `${where} has ${key} ${String(id)}; use a number from 0 to ${MAX_ID}`,
      );
  }
  if (entry.type !== 'file' && entry.content !== undefined)
    throw new ImageModelError(`${where} is a ${entry.type} and cannot have content`);
  if (entry.type !== 'symlink' && entry.linkTarget !== undefined)
    throw new ImageModelError(`${where} is a ${entry.type} and cannot have a linkTarget`);
  if (
    entry.type === 'symlink' &&
    (typeof entry.linkTarget !== 'string' ||
      entry.linkTarget === '' ||
      entry.linkTarget.includes('\0'))
  ) {
    throw new ImageModelError(`${where} is a symlink and needs a non-empty linkTarget`);
  }
  return { ...entry, path };
}
