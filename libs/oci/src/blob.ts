import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { Descriptor } from './descriptor';
import { sha256Digest } from './digest';
import { OciError } from './errors';
import type { Annotations } from './annotations';
import { segmentsLength, type Segments } from './segments';

/**
 * A piece of content-addressed data: its descriptor, known without reading it, and an
 * opener that can be called any number of times. Openers may return shared bytes, so
 * callers must not modify what `open()` returns.
 */
export interface Blob {
  readonly descriptor: Descriptor;
  open(): Promise<Uint8Array>;
  /** The bytes as consecutive parts, when the blob holds them so (a writer needs no copy); `open()` otherwise. */
  openSegments?(): Promise<Segments>;
}

/** A function that returns a blob's bytes; it may be called several times. */
export type Opener = () => Promise<Uint8Array>;

/** A blob held in memory; its digest and size are computed here, once. */
export function blobFromBytes(
  bytes: Uint8Array,
  mediaType: string,
  annotations?: Annotations,
): Blob {
  const descriptor: Descriptor = {
    mediaType,
    digest: sha256Digest(bytes),
    size: bytes.byteLength,
    ...(annotations === undefined ? {} : { annotations }),
  };
  return { descriptor, open: async () => bytes };
}

/**
 * A blob stored in a file whose descriptor is already known. Each `open()` reads the file
 * and checks its size and digest against the descriptor, so a changed file is an error,
 * never silently different content.
 */
export function blobFromFile(path: string, descriptor: Descriptor): Blob {
  if (!isAbsolute(path)) {
    throw new OciError(
      `blob path "${path}" is relative; give an absolute path (paths are never resolved against the working directory)`,
    );
  }
  return {
    descriptor,
    open: async () => {
      const bytes = await readFile(path);
      const problem = blobMismatch(bytes, descriptor);
      if (problem !== undefined) throw new OciError(`${path}: ${problem}`);
      return bytes;
    },
  };
}

/**
 * A description of how `bytes` differ from `expected` (size first, then digest), or
 * undefined when they match.
 */
export function blobMismatch(
  bytes: Uint8Array | Segments,
  expected: Pick<Descriptor, 'digest' | 'size'>,
): string | undefined {
  const size = bytes instanceof Uint8Array ? bytes.byteLength : segmentsLength(bytes);
  if (size !== expected.size) {
    return `blob ${expected.digest} has size ${size}, expected ${expected.size}`;
  }
  return digestMismatch(sha256Digest(bytes), expected.digest);
}

function digestMismatch(actual: string, expected: string): string | undefined {
  return actual === expected
    ? undefined
    : `blob ${expected} has digest ${actual}, expected ${expected}`;
}
