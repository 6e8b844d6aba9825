import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Descriptor } from '@crossdock/oci';

/** A body written to a file in the spool directory, with its size and sha256 digest. */
export interface SpooledFile {
  readonly path: string;
  readonly size: number;
  readonly digest: string;
  /** Deletes the file (never fails). */
  remove(): Promise<void>;
}

/**
 * Writes a stream to a new file under `dir`, hashing it on the way. Rejects, leaving no
 * file, when the stream fails or ends early (a client that hangs up mid-upload), or when
 * `expectedSize` is given and the byte count differs.
 */
export async function spool(
  dir: string,
  source: AsyncIterable<Uint8Array> | Readable,
  expectedSize?: number,
): Promise<SpooledFile> {
  const path = join(dir, `${randomUUID()}.part`);
  const hash = createHash('sha256');
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.byteLength;
      done(null, chunk);
    },
  });
  const remove = () => rm(path, { force: true }).catch(() => undefined);
  try {
    await pipeline(source, count, createWriteStream(path, { flags: 'wx' }));
    if (expectedSize !== undefined && size !== expectedSize)
      throw new Error(`received ${size} of ${expectedSize} bytes`);
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, size, digest: `sha256:${hash.digest('hex')}`, remove };
}

/** The pieces of a spooled file, read `pieceSize` bytes at a time. */
export async function* readSpooled(
  file: SpooledFile,
  pieceSize = 1024 * 1024,
): AsyncGenerator<Uint8Array> {
  for await (const piece of createReadStream(file.path, { highWaterMark: pieceSize }))
    yield piece as Buffer;
}

/** The descriptor of a spooled archive under a media type. */
export function spooledDescriptor(file: SpooledFile, mediaType: string): Descriptor {
  return { mediaType, digest: file.digest, size: file.size };
}
