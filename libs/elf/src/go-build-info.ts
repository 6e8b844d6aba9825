import { open, readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { ElfFormatError } from './errors';
import { parseElf } from './parse';
import { readElfFile } from './read-file';
import type { ProgramHeader } from './types';

/** A module compiled into a Go binary, as its build info records it. */
export interface GoModuleInfo {
  readonly path: string;
  readonly version: string;
  readonly sum?: string;
  /** The module that replaced this one (a `=>` line), if any. */
  readonly replace?: GoModuleInfo;
}

/** The build information the Go linker embeds in every binary (what `go version -m` prints). */
export interface GoBuildInfo {
  /** The Go version that built the binary, e.g. `go1.26.8`. */
  readonly goVersion: string;
  /** The main package's import path. */
  readonly path?: string;
  readonly main?: GoModuleInfo;
  readonly deps: readonly GoModuleInfo[];
  /** Build settings such as GOOS, GOARCH, GOARM, CGO_ENABLED, -trimpath, -ldflags. */
  readonly settings: Readonly<Record<string, string>>;
}

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER_SIZE = 32;
const FLAG_INLINE_STRINGS = 0x2;
const SENTINEL_LENGTH = 16;

/**
 * Reads the Go build info from a binary's bytes. Supports the inline format every Go
 * release since 1.18 writes. Throws ElfFormatError (with the offset) for a file without
 * build info or with a malformed one.
 */
export function parseGoBuildInfo(bytes: Uint8Array): GoBuildInfo {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = findHeader(buffer, dataStart(bytes)) ?? findHeader(buffer, 0);
  if (at === undefined)
    throw new ElfFormatError(
      'no Go build info: the "\\xff Go buildinf:" header was not found (not a Go binary, or built before Go 1.18)',
      0,
    );
  const flags = buffer[at + 15];
  if ((flags & FLAG_INLINE_STRINGS) === 0)
    throw new ElfFormatError(
      `Go build info at offset ${at} uses the pre-1.18 pointer format, which is not supported`,
      at + 15,
    );
  let offset = at + HEADER_SIZE;
  const readString = (): string => {
    const [length, next] = readUvarint(buffer, offset);
    if (next + length > buffer.length)
      throw new ElfFormatError(
        `truncated Go build info: a string of ${length} bytes at offset ${next} runs past the end of the file`,
        next,
      );
    offset = next + length;
    return buffer.toString('utf8', next, next + length);
  };
  const goVersion = readString();
  let modinfo = readString();
  if (
    modinfo.length >= 2 * SENTINEL_LENGTH + 1 &&
    modinfo[modinfo.length - SENTINEL_LENGTH - 1] === '\n'
  ) {
    modinfo = modinfo.slice(SENTINEL_LENGTH, modinfo.length - SENTINEL_LENGTH);
  }
  return { goVersion, ...parseModinfo(modinfo) };
}

/**
 * Where the Go linker puts the build info of an ELF binary: at the start of its first
 * writable segment (the .go.buildinfo section), as Go's debug/buildinfo looks for it.
 * Searching there first spares a scan of the code before it (megabytes). Undefined when
 * the bytes are not ELF or have no such segment.
 */
function dataStart(bytes: Uint8Array): number | undefined {
  try {
    return firstWritableSegment(parseElf(bytes).programHeaders)?.offset;
  } catch {
    return undefined;
  }
}

/** The first loaded writable segment (PT_LOAD with PF_W): Go's data, .go.buildinfo first. */
function firstWritableSegment(headers: readonly ProgramHeader[]): ProgramHeader | undefined {
  const PT_LOAD = 1;
  const PF_W = 2;
  return headers.find((h) => h.type === PT_LOAD && (h.flags & PF_W) !== 0);
}

/** The offset of the first build info header at or after `from` on a 16-byte boundary. */
function findHeader(buffer: Buffer, from: number | undefined): number | undefined {
  if (from === undefined) return undefined;
  let at = buffer.indexOf(MAGIC, from);
  while (at >= 0 && at % 16 !== 0) at = buffer.indexOf(MAGIC, at + 1);
  return at < 0 ? undefined : at;
}

/**
 * Reads the Go build info of the binary at an absolute path: the ELF headers and 64 KiB at
 * the start of the data segment, where the linker puts it (the whole file when it is not
 * all there, or the file is not ELF).
 */
export async function readGoBuildInfo(path: string): Promise<GoBuildInfo> {
  if (!isAbsolute(path)) throw new Error(`readGoBuildInfo needs an absolute path, got "${path}"`);
  try {
    const window = await dataWindow(path).catch(() => undefined);
    if (window !== undefined) {
      try {
        return parseGoBuildInfo(window);
      } catch {
        // Not all of it in the window: read the whole file below.
      }
    }
    return parseGoBuildInfo(await readFile(path));
  } catch (error) {
    if (error instanceof ElfFormatError) throw error.inFile(path);
    throw error;
  }
}

/** The first 64 KiB of the first writable segment of the ELF file at `path`, if it has one. */
async function dataWindow(path: string): Promise<Uint8Array | undefined> {
  const WINDOW = 64 * 1024;
  const data = firstWritableSegment((await readElfFile(path)).programHeaders);
  if (data === undefined || data.offset % 16 !== 0) return undefined;
  const handle = await open(path, 'r');
  try {
    const window = new Uint8Array(Math.min(WINDOW, data.filesz));
    const { bytesRead } = await handle.read(window, 0, window.length, data.offset);
    return window.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function parseModinfo(text: string): Omit<GoBuildInfo, 'goVersion'> {
  let path: string | undefined;
  let main: GoModuleInfo | undefined;
  const deps: GoModuleInfo[] = [];
  const settings: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [kind, ...fields] = line.split('\t');
    const module = (): GoModuleInfo => ({
      path: fields[0] ?? '',
      version: fields[1] ?? '',
      ...(fields[2] ? { sum: fields[2] } : {}),
    });
    if (kind === 'path') path = fields[0];
    else if (kind === 'mod') main = module();
    else if (kind === 'dep') deps.push(module());
    else if (kind === '=>' && deps.length > 0)
      deps[deps.length - 1] = { ...deps[deps.length - 1], replace: module() };
    else if (kind === 'build') {
      const setting = fields.join('\t');
      const eq = setting.indexOf('=');
      if (eq > 0) settings[setting.slice(0, eq)] = unquoteSetting(setting.slice(eq + 1));
    }
  }
  return { ...(path ? { path } : {}), ...(main ? { main } : {}), deps, settings };
}

/** Settings with spaces or quotes are written as Go-quoted strings (strconv.Quote). */
function unquoteSetting(value: string): string {
  if (!value.startsWith('"')) return value;
  try {
    return JSON.parse(value) as string;
  } catch {
    return value;
  }
}

function readUvarint(buffer: Buffer, start: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (let i = start; i < buffer.length && shift < 35; i++) {
    const byte = buffer[i];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, i + 1];
    shift += 7;
  }
  throw new ElfFormatError(`malformed Go build info: bad length varint at offset ${start}`, start);
}
