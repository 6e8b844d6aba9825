import type { FileHandle } from 'node:fs/promises';
import type { Segments } from '@crossdock/oci';

/** At most this many buffers go into one writev (Linux's IOV_MAX is 1024). */
const WRITEV_MAX = 1024;

/**
 * Writes the segments one after the other from the file's start with writev: one system call
 * for a layer's gzip stream or a deflate pack, not one write (and one trip to the thread
 * pool) per part, and no copy into one array first.
 */
export async function writeSegments(handle: FileHandle, segments: Segments): Promise<void> {
  let rest = segments.filter((segment) => segment.byteLength > 0);
  let position = 0;
  while (rest.length > 0) {
    const { bytesWritten } = await handle.writev(rest.slice(0, WRITEV_MAX), position);
    if (bytesWritten <= 0) throw new Error(`writev wrote nothing at offset ${position}`);
    position += bytesWritten;
    // A short write (rare for a regular file) goes on where it stopped.
    let written = bytesWritten;
    while (rest.length > 0 && written >= rest[0]!.byteLength) {
      written -= rest[0]!.byteLength;
      rest = rest.slice(1);
    }
    if (written > 0) rest = [rest[0]!.subarray(written), ...rest.slice(1)];
  }
}
