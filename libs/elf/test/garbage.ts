/** Byte offsets of fields in a 64-bit little-endian ELF header (independent of the parser under test). */
const E64 = { class: 4, data: 5, version: 6, phoff: 32, phentsize: 54, phnum: 56 } as const;

/** The shared prefix of every phdr-truncated file: 64-byte header, three whole 56-byte entries, 20 bytes of a fourth. */
export const PHDR_TRUNCATED_LENGTH = 64 + 56 * 3 + 20;

/** The loader path the host's gcc writes into PT_INTERP (Debian amd64). */
export const HOST_INTERPRETER = '/lib64/ld-linux-x86-64.so.2';

/** The names of the malformed files derived from real binaries. */
export const GARBAGE_NAMES = [
  'empty',
  'magic-only',
  'shell-script',
  'header-truncated-40',
  'bad-class',
  'bad-data',
  'bad-version',
  'bad-phentsize',
  'phdr-truncated',
  'phoff-out-of-range',
  'interp-truncated',
  'interp-unterminated',
] as const;

/** One malformed file's name. */
export type GarbageName = (typeof GARBAGE_NAMES)[number];

function patched(source: Uint8Array, edit: (view: DataView) => void): Uint8Array {
  const copy = Uint8Array.from(source);
  edit(new DataView(copy.buffer));
  return copy;
}

/** Where the host loader path starts in a gcc-built binary, found by searching the bytes. */
export function interpreterOffset(cBinary: Uint8Array): number {
  const needle = new TextEncoder().encode(HOST_INTERPRETER);
  for (let i = 0; i + needle.length <= cBinary.length; i += 1) {
    if (needle.every((b, j) => cBinary[i + j] === b)) return i;
  }
  throw new Error(
    `${HOST_INTERPRETER} not found in the gcc-built fixture; is the host amd64 Debian?`,
  );
}

/**
 * Malformed inputs made from real binaries: `goAmd64` (a 64-bit LSB Go executable) and
 * `cDynamic` (a gcc-built dynamically linked amd64 executable). Each is the real file,
 * a prefix of it, or a copy with one field changed.
 */
export function garbageFiles(
  goAmd64: Uint8Array,
  cDynamic: Uint8Array,
): ReadonlyMap<GarbageName, Uint8Array> {
  const head = goAmd64.subarray(0, 4096);
  const interpAt = interpreterOffset(cDynamic);
  return new Map<GarbageName, Uint8Array>([
    ['empty', new Uint8Array(0)],
    ['magic-only', Uint8Array.from([0x7f, 0x45, 0x4c])],
    ['shell-script', new TextEncoder().encode('#!/bin/sh\necho "not an ELF file"\n')],
    ['header-truncated-40', goAmd64.slice(0, 40)],
    ['bad-class', patched(head, (v) => v.setUint8(E64.class, 3))],
    ['bad-data', patched(head, (v) => v.setUint8(E64.data, 0))],
    ['bad-version', patched(head, (v) => v.setUint8(E64.version, 2))],
    ['bad-phentsize', patched(head, (v) => v.setUint16(E64.phentsize, 16, true))],
    ['phdr-truncated', goAmd64.slice(0, PHDR_TRUNCATED_LENGTH)],
    ['phoff-out-of-range', patched(head, (v) => v.setBigUint64(E64.phoff, 0x10000000n, true))],
    ['interp-truncated', cDynamic.slice(0, interpAt + 10)],
    [
      'interp-unterminated',
      patched(cDynamic, (v) => v.setUint8(interpAt + HOST_INTERPRETER.length, 0x58)),
    ],
  ]);
}
