import { open, type FileHandle } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { ElfFormatError, truncatedError } from './errors';
import { elfReadPlan, type ReadRequest } from './plan';
import type { ElfInfo } from './types';

async function readExactly(
  handle: FileHandle,
  request: ReadRequest,
  fileSize: number,
): Promise<Uint8Array> {
  const buffer = new Uint8Array(request.length);
  let filled = 0;
  while (filled < request.length) {
    const { bytesRead } = await handle.read(
      buffer,
      filled,
      request.length - filled,
      request.offset + filled,
    );
    // The file shrank after it was measured: report it as the truncation it now is.
    if (bytesRead === 0) throw truncatedError('data', request.offset, request.length, fileSize);
    filled += bytesRead;
  }
  return buffer;
}

/**
 * Decodes the ELF file at `path` (absolute), reading only what is needed through one
 * FileHandle: the header, then the program header table, then the PT_INTERP string.
 * A multi-megabyte Go binary costs three small reads. Format problems throw
 * ElfFormatError naming the path and offset; I/O errors (ENOENT, EACCES) pass through.
 */
export async function readElfFile(path: string): Promise<ElfInfo> {
  if (!isAbsolute(path)) {
    throw new Error(
      `readElfFile needs an absolute path, got "${path}": resolve it against the workspace root first`,
    );
  }
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const plan = elfReadPlan(size);
    let step = plan.next();
    while (!step.done) step = plan.next(await readExactly(handle, step.value, size));
    return step.value;
  } catch (error) {
    throw error instanceof ElfFormatError ? error.inFile(path) : error;
  } finally {
    await handle.close();
  }
}
