import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciError, blobFromBytes, blobFromFile } from '@crossdock/oci';
import { recoverStaleSiblings, replaceDirectory } from '../src';
import { tempDir } from '../../test-support/src/integration-gates';

/** The pid of a process that has exited, so siblings named with it count as stale. */
async function deadPid(): Promise<number> {
  const child = execa('true');
  const pid = child.pid ?? 0;
  await child;
  return pid;
}

describe('replaceDirectory', () => {
  let root = '';
  let cleanup = async (): Promise<void> => undefined;
  beforeAll(async () => ({ dir: root, cleanup } = await tempDir('swap')));
  afterAll(() => cleanup());

  it('replaces the contents as a whole and leaves no siblings', async () => {
    const dir = join(root, 'a');
    await replaceDirectory(dir, (tmp) => writeFile(join(tmp, 'v'), '1'));
    await replaceDirectory(dir, (tmp) => writeFile(join(tmp, 'w'), '2'));
    expect(await readdir(dir)).toEqual(['w']);
    expect(await readdir(root)).toEqual(['a']);
  });

  it('restores the previous directory after a crash between the two renames', async () => {
    const dir = join(root, 'crashed');
    const pid = await deadPid();
    await mkdir(join(root, `crashed.old-${pid}-0a1b2c3d`));
    await writeFile(join(root, `crashed.old-${pid}-0a1b2c3d`, 'index.json'), 'previous');
    await mkdir(join(root, `crashed.tmp-${pid}-deadbeef`));
    await recoverStaleSiblings(dir);
    expect(await readFile(join(dir, 'index.json'), 'utf8')).toBe('previous');
    expect((await readdir(root)).filter((n) => n.startsWith('crashed'))).toEqual(['crashed']);
  });

  it("keeps a running writer's temporary directory", async () => {
    const dir = join(root, 'busy');
    const live = join(root, `busy.tmp-${process.pid}-00000001`);
    await mkdir(live);
    await replaceDirectory(dir, (tmp) => writeFile(join(tmp, 'x'), 'x'));
    expect(existsSync(live)).toBe(true);
  });

  it('lets concurrent writers of one directory all succeed, the result whole and one of theirs', async () => {
    const dir = join(root, 'concurrent');
    await replaceDirectory(dir, (tmp) => writeFile(join(tmp, 'v'), 'old'));
    const writers = Array.from({ length: 8 }, (_, i) =>
      replaceDirectory(dir, async (tmp) => {
        await writeFile(join(tmp, 'v'), `writer ${i}`);
        await writeFile(join(tmp, 'w'), `writer ${i}`);
      }),
    );
    await Promise.all(writers);
    const [v, w] = await Promise.all([
      readFile(join(dir, 'v'), 'utf8'),
      readFile(join(dir, 'w'), 'utf8'),
    ]);
    expect(v).toMatch(/^writer [0-7]$/);
    expect(w).toBe(v);
    expect((await readdir(root)).filter((name) => name.startsWith('concurrent'))).toEqual([
      'concurrent',
    ]);
  });

  it('refuses a relative directory', async () => {
    await expect(replaceDirectory('dist/images', async () => undefined)).rejects.toThrow(
      'is relative',
    );
  });
});

describe('blobs', () => {
  let root = '';
  let cleanup = async (): Promise<void> => undefined;
  beforeAll(async () => ({ dir: root, cleanup } = await tempDir('blob')));
  afterAll(() => cleanup());

  it('a file blob checks its bytes on every open', async () => {
    const bytes = new TextEncoder().encode('{"a":1}');
    const memory = blobFromBytes(bytes, 'application/json');
    const path = join(root, 'blob.json');
    await writeFile(path, bytes);
    const onDisk = blobFromFile(path, memory.descriptor);
    expect(await onDisk.open()).toEqual(Buffer.from(bytes));
    await writeFile(path, '{"a":2}');
    await expect(onDisk.open()).rejects.toThrow(OciError);
    await expect(onDisk.open()).rejects.toThrow(`blob ${memory.descriptor.digest} has digest`);
    expect(() => blobFromFile('blob.json', memory.descriptor)).toThrow('is relative');
  });
});
