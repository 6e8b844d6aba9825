import { describe, expect, it } from 'vitest';
import {
  buildLayer,
  emptyImage,
  layerFromTar,
  withConfig,
  withLayers,
  writeTar,
  type Image,
  type TarRecord,
} from '@crossdock/oci';
import {
  compareDescriptions,
  compareImages,
  comparableConfig,
  describeImage,
  formatFileInfo,
} from '../../src/image/engines/compare-images';
import { readImageFile } from '@crossdock/oci-layout';
import { describeImageFiles, imagePath } from '../../src/image/engines/image-files';

const bytes = (text: string) => new TextEncoder().encode(text);

/** A raw tar layer: what docker and other tools write (./ prefixes, trailing slashes, whiteouts, hard links). */
async function rawLayer(
  records: readonly (Omit<TarRecord['header'], 'size' | 'mtime' | 'uid' | 'gid'> & {
    data?: string;
    uid?: number;
    gid?: number;
  })[],
) {
  return layerFromTar(
    writeTar(
      records.map(({ data, ...header }) => ({
        header: {
          uid: 0,
          gid: 0,
          mtime: 1_700_000_000,
          ...header,
          size: data === undefined ? 0 : bytes(data).byteLength,
        },
        ...(data === undefined ? {} : { data: bytes(data) }),
      })),
    ),
  );
}

const amd64 = { os: 'linux', architecture: 'amd64' };

describe('imagePath', () => {
  it.each([
    ['./usr/bin/', 'usr/bin'],
    ['/etc/passwd', 'etc/passwd'],
    ['./', ''],
    ['.', ''],
    ['a//b/./c', 'a/b/c'],
  ])('%j → %j', (name, path) => {
    expect(imagePath(name)).toBe(path);
  });
});

describe('describeImageFiles', () => {
  it('lists the files of a builtin layer, implicit parent directories included, sorted', async () => {
    const layer = await buildLayer(
      [
        {
          path: 'usr/local/bin/hello',
          type: 'file',
          mode: 0o755,
          uid: 0,
          gid: 0,
          content: bytes('#!binary'),
        },
        {
          path: 'etc/passwd',
          type: 'file',
          mode: 0o644,
          uid: 0,
          gid: 0,
          content: bytes('root:x:0:0::/:/sbin/nologin\n'),
        },
        { path: 'bin/sh', type: 'symlink', mode: 0o777, uid: 0, gid: 0, linkTarget: 'busybox' },
      ],
      { mtime: 0 },
    );
    const files = await describeImageFiles(withLayers(emptyImage(amd64), [layer]));
    expect(files.map(formatFileInfoWithPath)).toEqual([
      'bin dir 0755 0:0',
      'bin/sh symlink 0777 0:0 -> busybox',
      'etc dir 0755 0:0',
      'etc/passwd file 0644 0:0 28 B',
      'usr dir 0755 0:0',
      'usr/local dir 0755 0:0',
      'usr/local/bin dir 0755 0:0',
      'usr/local/bin/hello file 0755 0:0 8 B',
    ]);
  });

  it('applies layers in order with whiteouts, opaque directories and hard links, as a runtime would', async () => {
    const lower = await rawLayer([
      { name: './', type: 'dir', mode: 0o755 },
      { name: './etc/', type: 'dir', mode: 0o755 },
      { name: './etc/old', type: 'file', mode: 0o644, data: 'old' },
      { name: './etc/keep', type: 'file', mode: 0o600, uid: 65532, gid: 65532, data: 'keep' },
      { name: './var/', type: 'dir', mode: 0o755 },
      { name: './var/cache/', type: 'dir', mode: 0o1777 },
      { name: './var/cache/a', type: 'file', mode: 0o644, data: 'a' },
      { name: './var/cache/b/', type: 'dir', mode: 0o755 },
      { name: './var/cache/b/c', type: 'file', mode: 0o644, data: 'c' },
    ]);
    const upper = await rawLayer([
      { name: 'etc/.wh.old', type: 'file', mode: 0o644 },
      { name: 'var/cache/.wh..wh..opq', type: 'file', mode: 0o644 },
      { name: 'var/cache/new', type: 'file', mode: 0o644, data: 'new' },
      { name: 'etc/link', type: 'hardlink', mode: 0o600, linkname: 'etc/keep' },
    ]);
    const image = withLayers(emptyImage(amd64), [lower, upper]);
    expect((await describeImageFiles(image)).map(formatFileInfoWithPath)).toEqual([
      'etc dir 0755 0:0',
      'etc/keep file 0600 65532:65532 4 B',
      'etc/link hardlink 0600 0:0 -> etc/keep',
      'var dir 0755 0:0',
      'var/cache dir 1777 0:0',
      'var/cache/new file 0644 0:0 3 B',
    ]);
    expect(new TextDecoder().decode(await readImageFile(image, '/etc/link'))).toBe('keep');
    expect(await readImageFile(image, 'etc/old')).toBeUndefined();
    expect(await readImageFile(image, 'var')).toBeUndefined();
  });
});

describe('compareImages', () => {
  async function appImage(
    options: { mode?: number; env?: string[]; cmd?: string[] | null; extra?: boolean } = {},
  ): Promise<Image> {
    const layer = await buildLayer(
      [
        {
          path: 'usr/local/bin/hello',
          type: 'file',
          mode: options.mode ?? 0o755,
          uid: 0,
          gid: 0,
          content: bytes('binary'),
        },
        ...(options.extra
          ? [
              {
                path: 'etc/extra',
                type: 'file' as const,
                mode: 0o644,
                uid: 0,
                gid: 0,
                content: bytes('x'),
              },
            ]
          : []),
      ],
      { mtime: 0 },
    );
    const config = {
      User: '65532:65532',
      Entrypoint: ['/usr/local/bin/hello'],
      Env: options.env ?? ['PATH=/usr/bin'],
      WorkingDir: '/',
      Labels: { b: '2', a: '1' },
      ExposedPorts: { '8080/tcp': {} },
      ...(options.cmd === undefined ? {} : { Cmd: options.cmd as string[] }),
    };
    return withConfig(withLayers(emptyImage({ ...amd64 }), [layer]), { config });
  }

  it('finds no difference between equal images, whatever the layer mtimes and Cmd null vs absent', async () => {
    const layerAt = async (mtime: number) =>
      buildLayer([{ path: 'a', type: 'file', mode: 0o644, uid: 0, gid: 0, content: bytes('a') }], {
        mtime,
      });
    expect(
      await compareImages(
        withLayers(emptyImage(amd64), [await layerAt(0)]),
        withLayers(emptyImage(amd64), [await layerAt(1_700_000_000)]),
      ),
    ).toEqual([]);
    expect(
      await compareImages(await appImage(), await appImage({ cmd: null }), ['builtin', 'docker']),
    ).toEqual([]);
  });

  it('reports each difference on one readable line', async () => {
    const differences = await compareImages(
      await appImage(),
      await appImage({ mode: 0o775, env: ['PATH=/usr/bin', 'A=1'], cmd: ['serve'], extra: true }),
      ['builtin', 'docker'],
    );
    expect(differences).toEqual([
      '/etc: only in docker (dir 0755 0:0)',
      '/etc/extra: only in docker (file 0644 0:0 1 B)',
      '/usr/local/bin/hello: builtin file 0755 0:0 6 B, docker file 0775 0:0 6 B',
      'config Cmd: builtin [], docker ["serve"]',
      'config Env: builtin ["PATH=/usr/bin"], docker ["PATH=/usr/bin","A=1"]',
    ]);
  });

  it('compares the platform and keeps label order out of it', async () => {
    const arm = withConfig(await appImage(), { architecture: 'arm', variant: 'v7' });
    expect(
      compareDescriptions(await describeImage(await appImage()), await describeImage(arm), [
        'x',
        'y',
      ]),
    ).toEqual(['config architecture: x "amd64", y "arm"', 'config variant: x "", y "v7"']);
    expect(comparableConfig(await appImage()).Labels).toEqual({ a: '1', b: '2' });
    expect(comparableConfig(await appImage()).ExposedPorts).toEqual(['8080/tcp']);
  });
});

function formatFileInfoWithPath(file: Parameters<typeof formatFileInfo>[0]): string {
  return `${file.path} ${formatFileInfo(file)}`;
}
