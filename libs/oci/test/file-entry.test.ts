import { describe, expect, it } from 'vitest';
import {
  type FileEntry,
  ImageModelError,
  compareEntryPaths,
  normalizeEntries,
  normalizeEntryPath,
} from '../src';

describe('normalizeEntryPath', () => {
  it.each([
    ['etc/passwd', 'etc/passwd'],
    ['usr/local/bin/hello', 'usr/local/bin/hello'],
    ['etc/', 'etc'],
    ['a..b/c', 'a..b/c'],
    ['.wh.gone', '.wh.gone'],
  ])('accepts %j as %j', (input, expected) => {
    expect(normalizeEntryPath(input)).toBe(expected);
  });

  it.each([
    ['/etc/passwd', 'is absolute'],
    ['', 'is empty'],
    ['/', 'is absolute'],
    ['../etc', "has a '..' component"],
    ['usr/../../etc', "has a '..' component"],
    ['./etc/passwd', "has an empty or '.' component"],
    ['usr//bin', "has an empty or '.' component"],
    ['bad\0name', 'contains a NUL byte'],
  ])('rejects %j because it %s', (input, reason) => {
    expect(() => normalizeEntryPath(input)).toThrow(ImageModelError);
    expect(() => normalizeEntryPath(input)).toThrow(`"${input}" ${reason}`);
  });
});

describe('compareEntryPaths', () => {
  it('puts parents first and keeps a directory subtree together', () => {
    const paths = ['a-c', 'a/b', 'a', 'b', 'a/b/c', 'A'];
    expect([...paths].sort(compareEntryPaths)).toEqual(['A', 'a', 'a/b', 'a/b/c', 'a-c', 'b']);
  });
});

const file = (path: string, extra: Partial<FileEntry> = {}): FileEntry => ({
  path,
  type: 'file',
  mode: 0o644,
  uid: 0,
  gid: 0,
  ...extra,
});

describe('normalizeEntries', () => {
  it('adds missing parents as root-owned 0755 directories and sorts parents first', () => {
    const input = [
      file('usr/local/bin/hello', { mode: 0o755 }),
      file('etc/passwd'),
      { path: 'usr/', type: 'dir', mode: 0o700, uid: 1, gid: 1 } as const,
    ];
    const copy = JSON.stringify(input);
    const out = normalizeEntries(input);
    expect(out.map((e) => [e.path, e.type, e.mode.toString(8), e.uid])).toEqual([
      ['etc', 'dir', '755', 0],
      ['etc/passwd', 'file', '644', 0],
      ['usr', 'dir', '700', 1],
      ['usr/local', 'dir', '755', 0],
      ['usr/local/bin', 'dir', '755', 0],
      ['usr/local/bin/hello', 'file', '755', 0],
    ]);
    expect(JSON.stringify(input)).toBe(copy);
  });

  it.each<[string, FileEntry[], string]>([
    ['duplicate paths', [file('etc/passwd'), file('etc/passwd/')], 'appears twice'],
    [
      'a file used as a directory',
      [file('etc'), file('etc/passwd')],
      'is inside "etc", which is a file',
    ],
    ['mode with file-type bits', [file('a', { mode: 0o100644 })], 'give permission bits only'],
    ['negative uid', [file('a', { uid: -1 })], 'has uid -1'],
    [
      'symlink without target',
      [{ path: 'a', type: 'symlink', mode: 0o777, uid: 0, gid: 0 }],
      'needs a non-empty linkTarget',
    ],
    [
      'directory with content',
      [{ path: 'a', type: 'dir', mode: 0o755, uid: 0, gid: 0, content: new Uint8Array(1) }],
      'cannot have content',
    ],
    [
      'unknown type',
      [{ path: 'a', type: 'fifo' as 'file', mode: 0o644, uid: 0, gid: 0 }],
      'use "file", "dir" or "symlink"',
    ],
    ['unknown key', [{ ...file('a'), owner: 'root' } as FileEntry], 'unknown key(s) owner'],
  ])('rejects %s', (_name, entries, message) => {
    expect(() => normalizeEntries(entries)).toThrow(message);
  });
});
