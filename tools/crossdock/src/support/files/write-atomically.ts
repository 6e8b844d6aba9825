import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, writeFile } from 'node:fs/promises';
import type { Segments } from '@crossdock/oci';
import { writeSegments } from '@crossdock/oci-layout';
import { basename, dirname, join } from 'node:path';
import { isProcessAlive } from './process-alive';

/**
 * Writes a file under dist/ so that readers see the old content or the new, never half:
 * the text goes to a sibling `<name>.tmp-<pid>-<random>` that is renamed into place. Two
 * writers (even in one process) never share a temporary file, and the temporary files of
 * writers that were killed (their pid is gone) are removed first, so an interrupted run
 * leaves nothing behind once the next one writes. The content may come in consecutive parts
 * (written one after the other, not joined first).
 */
export async function writeFileAtomically(
  path: string,
  text: string | Uint8Array | Segments,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await removeStaleTemporaries(path);
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    if (typeof text === 'string' || text instanceof Uint8Array) await writeFile(temporary, text);
    else {
      const handle = await open(temporary, 'wx', 0o644);
      try {
        await writeSegments(handle, text);
      } finally {
        await handle.close();
      }
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

async function removeStaleTemporaries(path: string): Promise<void> {
  const prefix = `${basename(path)}.tmp-`;
  for (const name of await readdir(dirname(path))) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)(?:-[0-9a-f]+)?$/.exec(name.slice(prefix.length))?.[1]);
    if (pid > 0 && !isProcessAlive(pid)) await rm(join(dirname(path), name), { force: true });
  }
}
