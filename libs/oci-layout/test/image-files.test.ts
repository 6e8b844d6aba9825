import { describe, expect, it } from 'vitest';
import { emptyImage, layerFromTar, withLayers, writeTar, type TarHeader } from '@crossdock/oci';
import { imageFileTree, readImageFile } from '../src';

const bytes = (text: string) => new TextEncoder().encode(text);

/** One layer from tar entries; `data` sets a regular file's content. */
async function layer(
  entries: readonly (Pick<TarHeader, 'name' | 'type'> & Partial<TarHeader> & { data?: string })[],
) {
  return layerFromTar(
    writeTar(
      entries.map(({ data, ...header }) => ({
        header: {
          mode: 0o644,
          uid: 0,
          gid: 0,
          mtime: 0,
          ...header,
          size: data === undefined ? 0 : bytes(data).byteLength,
        },
        ...(data === undefined ? {} : { data: bytes(data) }),
      })),
    ),
  );
}

describe('readImageFile', () => {
  it('reads a file as the container sees it: upper layers win, whiteouts hide, hard links are followed', async () => {
    const image = withLayers(emptyImage({ os: 'linux', architecture: 'arm64' }), [
      await layer([
        { name: 'etc/', type: 'dir', mode: 0o755 },
        { name: 'etc/motd', type: 'file', data: 'lower' },
        { name: 'etc/gone', type: 'file', data: 'deleted above' },
      ]),
      await layer([
        { name: './etc/motd', type: 'file', data: 'upper' },
        { name: 'etc/.wh.gone', type: 'file' },
        { name: 'etc/motd-link', type: 'hardlink', linkname: 'etc/motd' },
      ]),
    ]);
    const read = async (path: string) => {
      const data = await readImageFile(image, path);
      return data === undefined ? undefined : new TextDecoder().decode(data);
    };
    expect(await read('/etc/motd')).toBe('upper');
    expect(await read('etc/motd-link')).toBe('upper');
    expect(await read('/etc/gone')).toBeUndefined();
    expect(await read('/etc')).toBeUndefined();
    expect([...(await imageFileTree(image)).keys()].sort()).toEqual([
      'etc',
      'etc/motd',
      'etc/motd-link',
    ]);
  });
});
