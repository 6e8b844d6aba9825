import { ImageModelError } from './errors';
import { joinSegments, type Segments } from './segments';

/** The kinds of tar entry crossdock writes. */
export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink';

/**
 * One tar header to write. `name` is the archive path as written (directories end with
 * '/'); `linkname` is the target of a symlink or hard link; `mtime` is in unix seconds.
 */
export interface TarHeader {
  readonly name: string;
  readonly type: TarEntryType;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtime: number;
  readonly linkname?: string;
}

/** The size of a tar block. */
export const BLOCK_SIZE = 512;

const TYPE_FLAG: Readonly<Record<TarEntryType, string>> = {
  file: '0',
  dir: '5',
  symlink: '2',
  hardlink: '1',
};
const encoder = new TextEncoder();

/** Largest values the ustar octal fields hold: 7 digits (mode, ids), 11 digits (size, mtime). */
const MAX_OCTAL_7 = 0o7777777;
const MAX_OCTAL_11 = 0o77777777777;

/**
 * The bytes of one tar header: a PAX extended header first when the entry needs one
 * (a name or link target over 100 bytes or not ASCII, a size or id too large for ustar),
 * then the ustar header. Owner names are left empty, so only numeric ids are recorded.
 */
export function encodeTarHeader(header: TarHeader): Uint8Array {
  if (!Number.isInteger(header.mtime) || header.mtime < 0 || header.mtime > MAX_OCTAL_11) {
    throw new ImageModelError(
      `mtime ${header.mtime} of "${header.name}" is invalid; use whole unix seconds from 0 to ${MAX_OCTAL_11}`,
    );
  }
  const pax: [string, string][] = [];
  const linkname = header.linkname ?? '';
  if (!fitsUstarString(header.name)) pax.push(['path', header.name]);
  if (!fitsUstarString(linkname)) pax.push(['linkpath', linkname]);
  if (header.size > MAX_OCTAL_11) pax.push(['size', String(header.size)]);
  if (header.uid > MAX_OCTAL_7) pax.push(['uid', String(header.uid)]);
  if (header.gid > MAX_OCTAL_7) pax.push(['gid', String(header.gid)]);
  const ustar = ustarBlock(
    {
      ...header,
      name: pax.some(([k]) => k === 'path') ? truncateUtf8(header.name, 100) : header.name,
      linkname: pax.some(([k]) => k === 'linkpath') ? truncateUtf8(linkname, 100) : linkname,
      size: header.size > MAX_OCTAL_11 ? 0 : header.size,
      uid: header.uid > MAX_OCTAL_7 ? 0 : header.uid,
      gid: header.gid > MAX_OCTAL_7 ? 0 : header.gid,
    },
    TYPE_FLAG[header.type],
  );
  if (pax.length === 0) return ustar;
  const records = encoder.encode(pax.map(([k, v]) => paxRecord(k, v)).join(''));
  const paxHeader = ustarBlock(
    {
      name: paxHeaderName(header.name),
      mode: 0o644,
      uid: 0,
      gid: 0,
      size: records.byteLength,
      mtime: header.mtime,
      linkname: '',
    },
    'x',
  );
  return joinSegments([paxHeader, records, tarPadding(records.byteLength), ustar]);
}

/** The zero bytes that pad `size` bytes of entry data to a whole block. */
export function tarPadding(size: number): Uint8Array {
  return new Uint8Array(paddingLength(size));
}

function paddingLength(size: number): number {
  return (BLOCK_SIZE - (size % BLOCK_SIZE)) % BLOCK_SIZE;
}

/** The end-of-archive marker: two zero blocks. */
export function tarTrailer(): Uint8Array {
  return new Uint8Array(2 * BLOCK_SIZE);
}

/** An entry to write with {@link writeTar}: its header and, for regular files, its data. */
export interface TarRecord {
  readonly header: TarHeader;
  readonly data?: Uint8Array;
}

/** A complete tar archive in memory, entries in the order given. */
export function writeTar(records: readonly TarRecord[]): Uint8Array {
  for (const { header, data } of records) checkDataSize(header, data?.byteLength ?? 0);
  return joinSegments(tarSegments(records).segments);
}

/**
 * A tar archive as segments (segments.ts), entries in the order given: the headers, padding
 * and trailer in arrays of their own, each entry's data as given (not copied). An entry
 * given without data gets a zeroed array of `header.size` bytes in its place; `holes` holds
 * them by record index, for the caller to read a file straight into.
 */
export function tarSegments(records: readonly TarRecord[]): {
  readonly segments: Segments;
  readonly holes: ReadonlyMap<number, Uint8Array>;
} {
  const segments: Uint8Array[] = [];
  const holes = new Map<number, Uint8Array>();
  // Headers and padding between two entries' data go into one array.
  let between: Uint8Array[] = [];
  for (const [i, { header, data }] of records.entries()) {
    if (data !== undefined) checkDataSize(header, data.byteLength);
    between.push(encodeTarHeader(header));
    let content = data;
    if (content === undefined && header.size > 0) {
      content = new Uint8Array(header.size);
      holes.set(i, content);
    }
    if (content !== undefined && content.byteLength > 0) {
      segments.push(joinSegments(between), content);
      between = [];
    }
    between.push(tarPadding(header.size));
  }
  between.push(tarTrailer());
  segments.push(joinSegments(between));
  return { segments, holes };
}

function checkDataSize(header: TarHeader, size: number): void {
  if (size !== header.size)
    throw new ImageModelError(
      `tar entry "${header.name}" declares size ${header.size} but has ${size} bytes of data`,
    );
}

function fitsUstarString(value: string): boolean {
  return /^[\x01-\x7f]*$/.test(value) && value.length <= 100;
}

function truncateUtf8(value: string, max: number): string {
  const bytes = encoder.encode(value);
  return bytes.byteLength <= max
    ? value
    : new TextDecoder().decode(bytes.subarray(0, max)).replace(/\uFFFD+$/, '');
}

/** A PAX record "<len> <key>=<value>\n", where <len> counts the whole record, itself included. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLength = encoder.encode(body).byteLength;
  let length = bodyLength + 1;
  while (String(length).length + bodyLength !== length) length = String(length).length + bodyLength;
  return `${length}${body}`;
}

/** Go's archive/tar naming ("<dir>/PaxHeaders.0/<base>"), which, unlike GNU tar's, has no pid in it. */
function paxHeaderName(name: string): string {
  const trimmed = name.endsWith('/') ? name.slice(0, -1) : name;
  const slash = trimmed.lastIndexOf('/');
  const dir = slash < 0 ? '' : `${trimmed.slice(0, slash)}/`;
  return truncateUtf8(`${dir}PaxHeaders.0/${trimmed.slice(slash + 1)}`, 100);
}

function ustarBlock(h: Omit<TarHeader, 'type'>, typeflag: string): Uint8Array {
  const block = new Uint8Array(BLOCK_SIZE);
  putString(block, 0, 100, h.name);
  putOctal(block, 100, 8, h.mode);
  putOctal(block, 108, 8, h.uid);
  putOctal(block, 116, 8, h.gid);
  putOctal(block, 124, 12, h.size);
  putOctal(block, 136, 12, h.mtime);
  block.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  putString(block, 156, 1, typeflag);
  putString(block, 157, 100, h.linkname ?? '');
  putString(block, 257, 6, 'ustar\0');
  putString(block, 263, 2, '00');
  putOctal(block, 329, 8, 0); // devmajor
  putOctal(block, 337, 8, 0); // devminor
  const checksum = block.reduce((sum, byte) => sum + byte, 0);
  putString(block, 148, 7, `${checksum.toString(8).padStart(6, '0')}\0`);
  return block;
}

function putString(block: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = encoder.encode(value);
  if (bytes.byteLength > length)
    throw new Error(`internal: "${value}" does not fit a ${length}-byte tar field`);
  block.set(bytes, offset);
}

/** Zero-padded octal digits followed by a NUL, filling the field (as Go and GNU tar write). */
function putOctal(block: Uint8Array, offset: number, length: number, value: number): void {
  if (!Number.isInteger(value) || value < 0)
    throw new ImageModelError(`tar field value ${value} is not a non-negative integer`);
  putString(block, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}
