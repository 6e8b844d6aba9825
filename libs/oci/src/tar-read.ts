import { open } from 'node:fs/promises';
import { TarFormatError } from './errors';
import { BLOCK_SIZE } from './tar';

/** The kind of a tar entry read back; `other` covers devices, fifos and unknown flags. */
export type TarReadType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

/**
 * One entry of a tar archive, with PAX and GNU long-name extensions already applied.
 * `dataOffset` is where its `size` bytes of data start in the archive.
 */
export interface TarEntry {
  readonly name: string;
  readonly type: TarReadType;
  readonly typeflag: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly uname: string;
  readonly gname: string;
  readonly size: number;
  readonly mtime: number;
  readonly linkname: string;
  readonly headerOffset: number;
  readonly dataOffset: number;
  /** The PAX records that applied to this entry (empty when it had none). */
  readonly pax: Readonly<Record<string, string>>;
}

/** A tar entry read from bytes in memory, with its data. */
export interface TarEntryWithData extends TarEntry {
  readonly data: Uint8Array;
}

/** Reads `length` bytes at `offset`; returns fewer only at the end of the input. */
export type ReadAt = (offset: number, length: number) => Promise<Uint8Array>;

/** Every entry of an in-memory tar archive (ustar, PAX, GNU long names), data included. */
export async function readTar(bytes: Uint8Array): Promise<TarEntryWithData[]> {
  const entries = await readTarEntries(async (offset, length) =>
    bytes.subarray(offset, offset + length),
  );
  return entries.map((e) => ({ ...e, data: bytes.subarray(e.dataOffset, e.dataOffset + e.size) }));
}

/**
 * The entries of a tar file on disk, read header by header without loading entry data;
 * use {@link readTarFileData} to read one entry's data.
 */
export async function readTarFileIndex(path: string): Promise<TarEntry[]> {
  const handle = await open(path, 'r');
  try {
    return await readTarEntries(async (offset, length) => {
      const buffer = new Uint8Array(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    });
  } finally {
    await handle.close();
  }
}

/** The data of one entry of a tar file on disk. */
export async function readTarFileData(path: string, entry: TarEntry): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(entry.size);
    const { bytesRead } = await handle.read(buffer, 0, entry.size, entry.dataOffset);
    if (bytesRead !== entry.size)
      throw new TarFormatError(
        `entry "${entry.name}" is truncated: ${bytesRead} of ${entry.size} bytes`,
        entry.dataOffset,
      );
    return buffer;
  } finally {
    await handle.close();
  }
}

/** The entries of a tar archive read through `readAt`. */
export async function readTarEntries(readAt: ReadAt): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  let offset = 0;
  let pax: Record<string, string> = {};
  let globalPax: Record<string, string> = {};
  let gnuName: string | undefined;
  let gnuLink: string | undefined;
  for (;;) {
    const block = await readAt(offset, BLOCK_SIZE);
    if (block.byteLength === 0) break; // tolerate archives without the trailer
    if (block.byteLength < BLOCK_SIZE) throw new TarFormatError('truncated tar header', offset);
    if (block.every((b) => b === 0)) break;
    const raw = parseHeader(block, offset);
    const dataOffset = offset + BLOCK_SIZE;
    const next = dataOffset + Math.ceil(raw.size / BLOCK_SIZE) * BLOCK_SIZE;
    const readData = async (): Promise<Uint8Array> => {
      const data = await readAt(dataOffset, raw.size);
      if (data.byteLength !== raw.size)
        throw new TarFormatError(`extension header data is truncated`, offset);
      return data;
    };
    if (raw.typeflag === 'x') pax = { ...pax, ...parsePax(await readData(), offset) };
    else if (raw.typeflag === 'g')
      globalPax = { ...globalPax, ...parsePax(await readData(), offset) };
    else if (raw.typeflag === 'L') gnuName = cString(await readData());
    else if (raw.typeflag === 'K') gnuLink = cString(await readData());
    else {
      const applied = { ...globalPax, ...pax };
      const size = applied.size === undefined ? raw.size : paxNumber(applied.size, 'size', offset);
      entries.push({
        ...raw,
        name: applied.path ?? gnuName ?? raw.name,
        linkname: applied.linkpath ?? gnuLink ?? raw.linkname,
        uid: applied.uid === undefined ? raw.uid : paxNumber(applied.uid, 'uid', offset),
        gid: applied.gid === undefined ? raw.gid : paxNumber(applied.gid, 'gid', offset),
        uname: applied.uname ?? raw.uname,
        gname: applied.gname ?? raw.gname,
        mtime: applied.mtime === undefined ? raw.mtime : Math.floor(Number(applied.mtime)),
        size,
        headerOffset: offset,
        dataOffset,
        pax: applied,
      });
      pax = {};
      gnuName = undefined;
      gnuLink = undefined;
      offset = dataOffset + Math.ceil(size / BLOCK_SIZE) * BLOCK_SIZE;
      continue;
    }
    offset = next;
  }
  return entries;
}

const TYPES: Readonly<Record<string, TarReadType>> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '5': 'dir',
};

type RawHeader = Omit<TarEntry, 'headerOffset' | 'dataOffset' | 'pax'>;

function parseHeader(block: Uint8Array, offset: number): RawHeader {
  const stored = readNumber(block, 148, 8, offset, 'checksum');
  let sum = 0;
  for (let i = 0; i < BLOCK_SIZE; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  if (stored !== sum)
    throw new TarFormatError(
      `bad tar header checksum ${stored}, computed ${sum}; this is not a tar archive or it is corrupt`,
      offset,
    );
  const magic = field(block, 257, 6);
  const name = cString(block.subarray(0, 100));
  // Only POSIX ustar has a prefix field; GNU tar keeps atime/ctime in those bytes.
  const prefix = magic === 'ustar\0' ? cString(block.subarray(345, 500)) : '';
  const typeflag = String.fromCharCode(block[156] ?? 0);
  const type = TYPES[typeflag] ?? 'other';
  const fullName = prefix === '' ? name : `${prefix}/${name}`;
  return {
    name: fullName,
    type: typeflag === '\0' && fullName.endsWith('/') ? 'dir' : type,
    typeflag,
    mode: readNumber(block, 100, 8, offset, 'mode'),
    uid: readNumber(block, 108, 8, offset, 'uid'),
    gid: readNumber(block, 116, 8, offset, 'gid'),
    size: readNumber(block, 124, 12, offset, 'size'),
    mtime: readNumber(block, 136, 12, offset, 'mtime'),
    linkname: cString(block.subarray(157, 257)),
    uname: cString(block.subarray(265, 297)),
    gname: cString(block.subarray(297, 329)),
  };
}

/** An octal field, or a GNU base-256 number when the top bit of the first byte is set. */
function readNumber(
  block: Uint8Array,
  start: number,
  length: number,
  offset: number,
  what: string,
): number {
  const bytes = block.subarray(start, start + length);
  if (((bytes[0] ?? 0) & 0x80) !== 0) {
    let value = (bytes[0] ?? 0) & 0x7f;
    for (let i = 1; i < bytes.length; i++) value = value * 256 + (bytes[i] ?? 0);
    return value;
  }
  const text = new TextDecoder()
    .decode(bytes)
    .replace(/[\0 ]+$/, '')
    .replace(/^ +/, '')
    .replace(/\0.*$/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text))
    throw new TarFormatError(`tar header field ${what} is not octal: "${text}"`, offset);
  return parseInt(text, 8);
}

function field(block: Uint8Array, start: number, length: number): string {
  return new TextDecoder().decode(block.subarray(start, start + length));
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/** Parses PAX records "<len> <key>=<value>\n". */
function parsePax(data: Uint8Array, offset: number): Record<string, string> {
  const records: Record<string, string> = {};
  let pos = 0;
  while (pos < data.byteLength) {
    if (data[pos] === 0) break;
    const space = data.indexOf(0x20, pos);
    const length = space < 0 ? NaN : Number(new TextDecoder().decode(data.subarray(pos, space)));
    if (!Number.isInteger(length) || length <= 0 || pos + length > data.byteLength)
      throw new TarFormatError('malformed PAX record length', offset);
    const record = new TextDecoder().decode(data.subarray(space + 1, pos + length - 1));
    const eq = record.indexOf('=');
    if (eq < 0) throw new TarFormatError(`malformed PAX record "${record}"`, offset);
    records[record.slice(0, eq)] = record.slice(eq + 1);
    pos += length;
  }
  return records;
}

function paxNumber(value: string, key: string, offset: number): number {
  if (!/^\d+$/.test(value))
    throw new TarFormatError(`PAX ${key} "${value}" is not a decimal number`, offset);
  return Number(value);
}
