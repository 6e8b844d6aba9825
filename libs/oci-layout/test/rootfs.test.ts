import { existsSync } from 'node:fs';
import { lstat, readFile, readdir, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FileEntry,
  buildLayer,
  emptyImage,
  encodeTarHeader,
  joinSegments,
  tarTrailer,
  withLayers,
  writeTar,
} from '@crossdock/oci';
import { RootfsError } from '../src';
import { applyLayer, extractRootfs } from '../src';
import { helloImage } from './fixtures';
import { GO, buildGoHello } from '../../test-support/src/integration-gates';
import { itWithTool, tempDir } from '../../test-support/src/integration-gates';
import { missingComponent } from '../../test-support/src/missing-component';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const file = (path: string, content: string, mode = 0o644): FileEntry => ({
  path,
  type: 'file',
  mode,
  uid: 0,
  gid: 0,
  content: text(content),
});
/** A tar of files only, without parent directory entries (as `docker save` layers often are). */
const rawTar = (files: readonly [string, string][]): Uint8Array =>
  writeTar(
    files.map(([name, content]) => ({
      header: { name, type: 'file', mode: 0o644, uid: 0, gid: 0, size: content.length, mtime: 0 },
      data: text(content),
    })),
  );
/** A ustar header for a character device (typeflag '3'), which crossdock itself never writes. */
function charDevice(name: string): Uint8Array {
  const header = encodeTarHeader({
    name,
    type: 'file',
    mode: 0o666,
    uid: 0,
    gid: 0,
    size: 0,
    mtime: 0,
  });
  header[156] = '3'.charCodeAt(0);
  header.fill(0x20, 148, 156);
  const sum = header.reduce((a, b) => a + b, 0);
  header.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\0`), 148);
  return header;
}
const link = (path: string, linkTarget: string): FileEntry => ({
  path,
  type: 'symlink',
  mode: 0o777,
  uid: 0,
  gid: 0,
  linkTarget,
});

describe('extractRootfs', () => {
  let root = '';
  let cleanup = async (): Promise<void> => undefined;
  beforeAll(async () => ({ dir: root, cleanup } = await tempDir('rootfs')));
  afterAll(() => cleanup());

  it('applies layers in order with whiteouts, opaque directories and merged-usr symlinks', async () => {
    const lower = await buildLayer(
      [
        file('etc/passwd', 'root:x:0:0::/root:/bin/sh\n'),
        file('etc/config/a', 'a1'),
        file('etc/config/b', 'b1'),
        file('usr/lib/libx.so', 'x', 0o755),
        link('lib', 'usr/lib'),
        file('opt/app/old.txt', 'old'),
        file('opt/app/sub/deep.txt', 'deep'),
        file('var/gone.txt', 'bye'),
        file('var/kept.txt', 'kept'),
        { path: 'srv', type: 'dir', mode: 0o700, uid: 0, gid: 0 },
      ],
      { mtime: 0 },
    );
    const upper = await buildLayer(
      [
        file('var/.wh.gone.txt', ''),
        file('opt/app/.wh..wh..opq', ''),
        file('opt/app/new.txt', 'new'),
        file('etc/config/a', 'a2', 0o600),
        file('etc/.wh.passwd', ''),
      ],
      { mtime: 0 },
    );
    const image = withLayers(emptyImage({ os: 'linux', architecture: 'amd64' }), [lower, upper]);
    const target = join(root, 'merged');
    const report = await extractRootfs(image, target);
    expect(report.whiteouts).toBe(3);
    expect(report.skipped).toEqual([]);
    const read = (p: string) => readFile(join(target, p), 'utf8');
    expect(existsSync(join(target, 'var/gone.txt'))).toBe(false);
    expect(existsSync(join(target, 'etc/passwd'))).toBe(false);
    expect(await read('var/kept.txt')).toBe('kept');
    expect((await readdir(join(target, 'opt/app'))).sort()).toEqual(['new.txt']);
    expect(await read('etc/config/a')).toBe('a2');
    expect((await stat(join(target, 'etc/config/a'))).mode & 0o777).toBe(0o600);
    expect(await read('etc/config/b')).toBe('b1');
    expect(await readlink(join(target, 'lib'))).toBe('usr/lib');
    await applyLayer(rawTar([['lib/extra.so', 'extra']]), target);
    expect(await readlink(join(target, 'lib'))).toBe('usr/lib');
    expect(await read('usr/lib/extra.so')).toBe('extra');
    // A directory entry replaces a symlink, as containerd's applier does.
    await applyLayer(
      await (await buildLayer([file('lib/other.so', 'o')], { mtime: 0 })).openUncompressed(),
      target,
    );
    expect((await lstat(join(target, 'lib'))).isDirectory()).toBe(true);
    expect((await stat(join(target, 'usr/lib/libx.so'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(target, 'srv'))).mode & 0o777).toBe(0o700);
    expect(existsSync(join(target, '.wh.passwd'))).toBe(false);
  });

  it('extracts hard links and skips device nodes', async () => {
    const tar = writeTar([
      { header: { name: 'bin/', type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 0 } },
      {
        header: {
          name: 'bin/busybox',
          type: 'file',
          mode: 0o755,
          uid: 0,
          gid: 0,
          size: 2,
          mtime: 0,
        },
        data: text('bb'),
      },
      {
        header: {
          name: 'bin/sh',
          type: 'hardlink',
          mode: 0o755,
          uid: 0,
          gid: 0,
          size: 0,
          mtime: 0,
          linkname: 'bin/busybox',
        },
      },
    ]);
    const target = join(root, 'links');
    const report = await applyLayer(
      joinSegments([tar.subarray(0, tar.byteLength - 1024), charDevice('dev/null'), tarTrailer()]),
      target,
    );
    expect(report).toEqual({ written: 3, whiteouts: 0, skipped: ['dev/null'] });
    expect(existsSync(join(target, 'dev/null'))).toBe(false);
    const [a, b] = await Promise.all([
      lstat(join(target, 'bin/busybox')),
      lstat(join(target, 'bin/sh')),
    ]);
    expect(b.ino).toBe(a.ino);
    expect(a.nlink).toBe(2);
  });

  it('refuses entries with ".." before writing anything', async () => {
    const tar = writeTar([
      {
        header: { name: 'ok.txt', type: 'file', mode: 0o644, uid: 0, gid: 0, size: 1, mtime: 0 },
        data: text('k'),
      },
      {
        header: {
          name: '../evil.txt',
          type: 'file',
          mode: 0o644,
          uid: 0,
          gid: 0,
          size: 1,
          mtime: 0,
        },
        data: text('e'),
      },
    ]);
    const target = join(root, 'dotdot');
    const error = await applyLayer(tar, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RootfsError);
    expect((error as RootfsError).message).toContain(`"../evil.txt" has a '..' component`);
    expect(existsSync(join(root, 'evil.txt'))).toBe(false);
    expect(existsSync(join(target, 'ok.txt'))).toBe(false);
  });

  it('resolves writes through absolute and climbing symlinks inside the target directory', async () => {
    const outside = join(root, 'outside');
    const layer1 = await buildLayer(
      [link('abs', outside), link('up', '../../../..'), link('loop', 'loop')],
      { mtime: 0 },
    );
    const target = join(root, 'symlinks');
    await extractRootfs(
      withLayers(emptyImage({ os: 'linux', architecture: 'amd64' }), [layer1]),
      target,
    );
    await applyLayer(
      rawTar([
        ['abs/pwned', 'a'],
        ['up/tmp/pwned', 'b'],
      ]),
      target,
    );
    expect(existsSync(join(outside, 'pwned'))).toBe(false);
    expect(existsSync('/tmp/pwned')).toBe(false);
    expect(await readFile(join(target, outside, 'pwned'), 'utf8')).toBe('a');
    expect(await readFile(join(target, 'tmp/pwned'), 'utf8')).toBe('b');
    await expect(applyLayer(rawTar([['loop/x', 'x']]), target)).rejects.toThrow(
      'too many levels of symlinks',
    );
  });

  itWithTool(GO, 'the Go toolchain').each([
    [
      'arm64',
      { os: 'linux', arch: 'arm64' },
      { os: 'linux', architecture: 'arm64' },
      '/usr/bin/qemu-aarch64-static',
    ],
    [
      'arm/v7',
      { os: 'linux', arch: 'arm', arm: '7' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
      '/usr/bin/qemu-arm-static',
    ],
  ] as const)(
    'a %s image extracted for a qemu smoke run prints its platform',
    async (name, goTarget, platform, qemu) => {
      if (!existsSync(qemu)) {
        missingComponent(`the qemu smoke run needs qemu-user-static, and ${qemu} is missing`);
        return;
      }
      const work = join(root, `smoke-${name.replace('/', '-')}`);
      const [binary] = await buildGoHello(work, [goTarget]);
      const rootfs = join(work, 'rootfs');
      await extractRootfs(await helloImage(platform, binary ?? ''), rootfs);
      const { stdout } = await execa(qemu, ['-L', rootfs, join(rootfs, 'usr/local/bin/hello')]);
      expect(stdout).toBe(`hello from linux/${platform.architecture}`);
      expect((await stat(join(rootfs, 'home/nonroot'))).mode & 0o777).toBe(0o755);
    },
  );
});
