import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TarFormatError,
  encodeTarHeader,
  joinSegments,
  tarSegments,
  readTar,
  readTarFileIndex,
  writeTar,
} from '../src';
import { SYSTEM_TAR, itWithTool, tempDir } from '../../test-support/src/integration-gates';

const longName = `${'deep/'.repeat(30)}file.txt`;

describe('tar writer', () => {
  it.each([
    ['short ASCII name', { name: 'etc/passwd' }, false],
    ['name of exactly 100 bytes', { name: 'a'.repeat(100) }, false],
    ['name over 100 bytes', { name: longName }, true],
    ['non-ASCII name', { name: 'etc/caf\u00e9' }, true],
    [
      'link target over 100 bytes',
      { name: 'l', type: 'symlink' as const, linkname: longName },
      true,
    ],
    ['uid over 7 octal digits', { name: 'x', uid: 0o10000000 }, true],
  ])('%s → PAX header: %s', (_case, fields, pax) => {
    const header = encodeTarHeader({
      type: 'file',
      mode: 0o644,
      uid: 0,
      gid: 0,
      size: 0,
      mtime: 0,
      ...fields,
    });
    expect(header.byteLength > 512).toBe(pax);
    expect(String.fromCharCode(header[156] ?? 0)).toBe(pax ? 'x' : 'type' in fields ? '2' : '0');
  });

  it('round-trips through the reader, PAX values included', async () => {
    const data = new TextEncoder().encode('hello\n');
    const tar = writeTar([
      { header: { name: 'dir/', type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 42 } },
      {
        header: {
          name: longName,
          type: 'file',
          mode: 0o600,
          uid: 65532,
          gid: 3000000,
          size: data.byteLength,
          mtime: 42,
        },
        data,
      },
      {
        header: {
          name: 'link',
          type: 'symlink',
          mode: 0o777,
          uid: 0,
          gid: 0,
          size: 0,
          mtime: 42,
          linkname: '/usr/bin/env',
        },
      },
      {
        header: {
          name: 'hard',
          type: 'hardlink',
          mode: 0o644,
          uid: 0,
          gid: 0,
          size: 0,
          mtime: 42,
          linkname: longName,
        },
      },
    ]);
    expect(tar.byteLength % 512).toBe(0);
    const entries = await readTar(tar);
    expect(
      entries.map((e) => [e.name, e.type, e.mode, e.uid, e.gid, e.mtime, e.linkname, e.uname]),
    ).toEqual([
      ['dir/', 'dir', 0o755, 0, 0, 42, '', ''],
      [longName, 'file', 0o600, 65532, 3000000, 42, '', ''],
      ['link', 'symlink', 0o777, 0, 0, 42, '/usr/bin/env', ''],
      ['hard', 'hardlink', 0o644, 0, 0, 42, longName, ''],
    ]);
    expect(new TextDecoder().decode(entries[1]?.data)).toBe('hello\n');
  });

  it('refuses a corrupt header with the byte offset', async () => {
    const tar = writeTar([
      { header: { name: 'a', type: 'file', mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 0 } },
    ]);
    tar[10] = 0x41;
    await expect(readTar(tar)).rejects.toThrow(TarFormatError);
    await expect(readTar(tar)).rejects.toThrow('at byte offset 0');
  });
});

describe('tar reader on archives written by GNU tar', () => {
  let dir = '';
  let cleanup = async (): Promise<void> => undefined;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('tar'));
    const tree = join(dir, 'tree');
    await mkdir(join(tree, ...longName.split('/').slice(0, -1)), { recursive: true });
    await writeFile(join(tree, longName), 'long\n');
    await writeFile(join(tree, 'short.txt'), 'short\n');
    await symlink('short.txt', join(tree, 'link'));
  });
  afterAll(() => cleanup());

  const gnuTar = itWithTool(SYSTEM_TAR, 'GNU tar');
  gnuTar.each(['gnu', 'pax', 'ustar'])(
    'reads --format=%s (long names, symlinks)',
    async (format) => {
      const archive = join(dir, `${format}.tar`);
      await execa(SYSTEM_TAR, [`--format=${format}`, '-cf', archive, '-C', join(dir, 'tree'), '.']);
      const entries = await readTar(await readFile(archive));
      const byName = new Map(entries.map((e) => [e.name.replace(/^\.\//, ''), e]));
      expect(new TextDecoder().decode(byName.get(longName)?.data)).toBe('long\n');
      expect(byName.get('link')).toMatchObject({ type: 'symlink', linkname: 'short.txt' });
      expect(byName.get('short.txt')?.size).toBe(6);
      const indexed = await readTarFileIndex(archive);
      expect(indexed.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    },
  );
});

describe('tar segments with data read in place', () => {
  const header = (name: string, size: number) =>
    ({ name, type: 'file', mode: 0o644, uid: 0, gid: 0, size, mtime: 1 }) as const;
  const big = new Uint8Array(1300).map((_, i) => i % 251);

  it("holds each entry's data as given, a hole per entry without; joined and filled, the archive is writeTar's", () => {
    const small = new Uint8Array([1, 2, 3]);
    const { segments, holes } = tarSegments([
      { header: header('a', 3), data: small },
      { header: header('b', big.byteLength) },
      { header: header('c', 0) },
    ]);
    expect(segments).toContain(small); // the same array: not copied
    expect([...holes.keys()]).toEqual([1]);
    expect(holes.get(1)!.byteLength).toBe(big.byteLength);
    expect(segments).toContain(holes.get(1));
    holes.get(1)!.set(big);
    expect(joinSegments(segments)).toEqual(
      writeTar([
        { header: header('a', 3), data: small },
        { header: header('b', big.byteLength), data: big },
        { header: header('c', 0) },
      ]),
    );
  });

  it('still refuses data whose size the header does not declare', () => {
    expect(() => tarSegments([{ header: header('a', 4), data: new Uint8Array(3) }])).toThrow(
      /declares size 4 but has 3 bytes/,
    );
    expect(() => writeTar([{ header: header('b', 4) }])).toThrow(/declares size 4 but has 0 bytes/);
  });
});
