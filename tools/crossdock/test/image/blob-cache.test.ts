import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localBlobCache } from '../../src/image/base/blob-cache';
import { pruneOldest } from '../../src/support/files/private-folder';

// The folder registry bases' blobs are kept in between builds (image/base/blob-cache.ts).
let root: string;
const digestOf = (bytes: Uint8Array) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const userFolder = (dir: string) => join(dir, String(process.getuid!()));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'crossdock-blob-cache-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('local blob cache', () => {
  it('gives back what it kept, by digest, and nothing for a digest it does not hold', async () => {
    const cache = localBlobCache(join(root, 'plain'));
    const blob = new TextEncoder().encode('{"architecture":"arm64"}');
    expect(await cache.get(digestOf(blob))).toBeUndefined();
    await cache.put(digestOf(blob), blob);
    expect(Buffer.from((await cache.get(digestOf(blob)))!).equals(Buffer.from(blob))).toBe(true);
    expect(await cache.get('sha256:../../etc/passwd')).toBeUndefined();
  });

  it('never gives back bytes that do not match their digest, and drops them', async () => {
    const cache = localBlobCache(join(root, 'damaged'));
    const blob = new TextEncoder().encode('layer bytes');
    await cache.put(digestOf(blob), blob);
    const file = join(userFolder(join(root, 'damaged')), digestOf(blob).slice(7));
    await writeFile(file, 'other bytes');
    expect(await cache.get(digestOf(blob))).toBeUndefined();
    expect(await readdir(userFolder(join(root, 'damaged')))).toEqual([]);
  });

  it('neither reads nor keeps blobs in a folder others may write to', async () => {
    const shared = join(root, 'shared');
    await mkdir(userFolder(shared), { recursive: true });
    await chmod(userFolder(shared), 0o777);
    const blob = new TextEncoder().encode('planted');
    await writeFile(join(userFolder(shared), digestOf(blob).slice(7)), blob);
    const cache = localBlobCache(shared);
    expect(await cache.get(digestOf(blob))).toBeUndefined();
    await cache.put(digestOf(new Uint8Array([1])), new Uint8Array([1]));
    expect(await readdir(userFolder(shared))).toEqual([digestOf(blob).slice(7)]);
  });
});

describe('pruneOldest', () => {
  it('keeps the files used last within the count and the bytes, and only those it names', async () => {
    const dir = join(root, 'prune');
    await mkdir(dir);
    for (let i = 0; i < 5; i++) {
      const file = join(dir, `blob-${i}`);
      await writeFile(file, new Uint8Array(100));
      await utimes(file, new Date(1_000_000 + i * 1000), new Date(1_000_000 + i * 1000));
    }
    await writeFile(join(dir, 'blob-9.tmp-1-ab'), new Uint8Array(1000)); // a writer's temporary file
    await pruneOldest(dir, { names: /^blob-\d$/, bytes: 350 });
    expect((await readdir(dir)).sort()).toEqual(['blob-2', 'blob-3', 'blob-4', 'blob-9.tmp-1-ab']);
    await pruneOldest(dir, { names: /^blob-\d$/, count: 1 });
    expect((await readdir(dir)).sort()).toEqual(['blob-4', 'blob-9.tmp-1-ab']);
  });
});
