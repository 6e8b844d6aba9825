import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** The sha256 of a layout's index.json, or `unresolved: no <path>` when it cannot be read. */
export async function layoutDigest(dir: string): Promise<string> {
  const path = `${dir}/index.json`;
  const bytes = await readFile(path).catch(() => undefined);
  return bytes
    ? `sha256:${createHash('sha256').update(bytes).digest('hex')}`
    : `unresolved: no ${path}`;
}
