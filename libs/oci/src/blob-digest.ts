import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/** The size and digest of a file, and with `gunzip` the digest of its decompressed bytes. */
export interface FileDigests {
  readonly size: number;
  readonly digest: string;
  readonly uncompressedDigest?: string;
}

/**
 * Hashes a file in one streaming pass (and its decompressed content with `gunzip`),
 * so checking a large layer does not hold it in memory.
 */
export async function digestFile(path: string, gunzip: boolean): Promise<FileDigests> {
  const hash = createHash('sha256');
  const inner = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.byteLength;
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (gunzip) inner.update(chunk);
      callback();
    },
  });
  // 1 MiB reads instead of 64 KiB: a 6 MB binary in 6 reads, not 96.
  const source = createReadStream(path, { highWaterMark: 1024 * 1024 });
  if (gunzip) await pipeline(source, tap, createGunzip(), sink);
  else await pipeline(source, tap, sink);
  return {
    size,
    digest: `sha256:${hash.digest('hex')}`,
    ...(gunzip ? { uncompressedDigest: `sha256:${inner.digest('hex')}` } : {}),
  };
}
