import { describe, expect, it } from 'vitest';
import { indexRootfs, type RootfsTarEntry } from '../../src/image/base/rootfs-index';

const file = (name: string): RootfsTarEntry => ({ name, type: 'file', linkname: '' });
const dir = (name: string): RootfsTarEntry => ({ name, type: 'dir', linkname: '' });
const link = (name: string, target: string): RootfsTarEntry => ({
  name,
  type: 'symlink',
  linkname: target,
});

// A merged-usr Debian layout, as a dynamic binary's loader is found in it.
const debian: RootfsTarEntry[] = [
  dir('./'),
  dir('./usr/'),
  dir('./usr/lib/'),
  dir('./usr/lib/x86_64-linux-gnu/'),
  file('./usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'),
  dir('./usr/lib64/'),
  link('./usr/lib64/ld-linux-x86-64.so.2', '../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'),
  link('./lib64', 'usr/lib64'),
  link('./lib', 'usr/lib'),
  dir('./bin/'),
  file('./bin/busybox'),
  link('./bin/sh', 'busybox'),
  link('./loop-a', '/loop-b'),
  link('./loop-b', '/loop-a'),
  link('./dangling', '/nowhere/at/all'),
];

describe('indexRootfs', () => {
  const index = indexRootfs([debian]);

  it.each([
    ['/lib64/ld-linux-x86-64.so.2', true, 'through two relative symlinks'],
    ['/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', true, 'through a directory symlink'],
    ['/usr/lib/x86_64-linux-gnu', true, 'a directory'],
    ['/bin/sh', true, 'a symlink to a sibling'],
    ['/bin/sh/', true, 'with a trailing slash'],
    ['/bin/../bin/busybox', true, 'with ..'],
    ['/usr', true, 'an implied parent'],
    ['/lib/ld-linux-aarch64.so.1', false, 'a missing file'],
    ['/bin/busybox/x', false, 'a path under a file'],
    ['/loop-a', false, 'a symlink loop'],
    ['/dangling', false, 'a dangling symlink'],
  ])('%s exists: %s (%s)', (path, expected) => {
    expect(index.has(path)).toBe(expected);
  });

  it('honours whiteouts and opaque directories of upper layers', () => {
    const stacked = indexRootfs([
      debian,
      [
        file('bin/.wh.busybox'),
        file('usr/lib/x86_64-linux-gnu/.wh..wh..opq'),
        file('usr/lib/x86_64-linux-gnu/libc.so.6'),
      ],
    ]);
    expect(stacked.has('/bin/busybox')).toBe(false);
    expect(stacked.has('/bin/sh')).toBe(false); // its target is gone
    expect(stacked.has('/lib64/ld-linux-x86-64.so.2')).toBe(false); // hidden by the opaque marker
    expect(stacked.has('/usr/lib/x86_64-linux-gnu/libc.so.6')).toBe(true); // added in the same layer
    expect(stacked.has('/bin')).toBe(true);
  });

  it('lets a file replace a directory and everything under it', () => {
    const replaced = indexRootfs([debian, [file('usr/lib64')]]);
    expect(replaced.has('/usr/lib64')).toBe(true);
    expect(replaced.has('/lib64/ld-linux-x86-64.so.2')).toBe(false);
  });

  it('whites out a whole directory tree', () => {
    const removed = indexRootfs([debian, [file('.wh.usr')]]);
    expect(removed.has('/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2')).toBe(false);
    expect(removed.has('/bin/busybox')).toBe(true);
  });
});
