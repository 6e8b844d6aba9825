import { describe, expect, it } from 'vitest';
import {
  Annotation,
  ImageModelError,
  MediaType,
  buildLayer,
  canonicalJson,
  emptyImage,
  imageFromBytes,
  imageFromParts,
  indexFromBytes,
  indexFromImages,
  platformKey,
  sha256Digest,
  withAnnotations,
  withConfig,
  withLayer,
  withLayers,
} from '../src';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const layerOf = (name: string) =>
  buildLayer(
    [{ path: `etc/${name}`, type: 'file', mode: 0o644, uid: 0, gid: 0, content: text(name) }],
    { mtime: 0 },
  );

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } }, '{"a":{"d":[{"y":2,"z":1}]},"b":1}'],
    [{ 'os.version': '1', os: 'linux' }, '{"os":"linux","os.version":"1"}'],
    [[3, 'x', null], '[3,"x",null]'],
  ])('%j → %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });
});

describe('image model', () => {
  it('starts empty with the platform in its config and descriptor', () => {
    const image = emptyImage({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(image.config).toMatchObject({
      os: 'linux',
      architecture: 'arm',
      variant: 'v7',
      rootfs: { type: 'layers', diff_ids: [] },
    });
    expect(image.manifest).toMatchObject({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      layers: [],
    });
    expect(image.manifest.config).toEqual({
      mediaType: MediaType.ociConfig,
      digest: sha256Digest(image.configBytes()),
      size: image.configBytes().byteLength,
    });
    expect(image.descriptor()).toEqual({
      mediaType: MediaType.ociManifest,
      digest: image.digest,
      size: image.manifestBytes().byteLength,
      platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
    });
    expect(new TextDecoder().decode(image.configBytes())).toBe(canonicalJson(image.config));
    expect(new TextDecoder().decode(image.manifestBytes()).endsWith('\n')).toBe(false);
  });

  it('returns new images from withLayer/withConfig and never changes the base', async () => {
    const base = emptyImage({ os: 'linux', architecture: 'amd64' });
    const baseBytes = base.manifestBytes();
    const [a, b] = await Promise.all([layerOf('a'), layerOf('b')]);
    const one = withLayer(base, a, { created: '2024-01-01T00:00:00Z', created_by: 'COPY a' });
    const two = withLayers(one, [b]);
    const configured = withConfig(two, {
      created: '2024-01-01T00:00:00Z',
      config: { User: '65532:65532', Entrypoint: ['/usr/local/bin/hello'], Env: ['A=1'] },
    });
    const annotated = withAnnotations(configured, { [Annotation.baseName]: 'scratch' });

    expect(base.manifestBytes()).toBe(baseBytes);
    expect(base.layers).toEqual([]);
    expect(one.layers).toEqual([a]);
    expect(two.config.rootfs.diff_ids).toEqual([a.diffId, b.diffId]);
    expect(two.manifest.layers.map((l) => l.digest)).toEqual([
      a.descriptor.digest,
      b.descriptor.digest,
    ]);
    expect(two.config.history).toEqual([
      { created: '2024-01-01T00:00:00Z', created_by: 'COPY a' },
      { created: '1970-01-01T00:00:00Z', created_by: 'crossdock' },
    ]);
    expect(configured.config.config).toEqual({
      User: '65532:65532',
      Entrypoint: ['/usr/local/bin/hello'],
      Env: ['A=1'],
    });
    expect(configured.layers).toBe(configured.layers);
    expect(two.config.config).toEqual({});
    expect(annotated.manifest.annotations).toEqual({ [Annotation.baseName]: 'scratch' });
    expect(withConfig(annotated, { config: { Env: undefined } }).config.config).toEqual({
      User: '65532:65532',
      Entrypoint: ['/usr/local/bin/hello'],
    });
    expect(withConfig(annotated, { config: { Env: undefined } }).manifest.annotations).toEqual(
      annotated.manifest.annotations,
    );
    expect(Object.isFrozen(annotated)).toBe(true);
  });

  it('is deterministic: the same steps give the same digests', async () => {
    const build = async () =>
      withConfig(
        withLayer(emptyImage({ os: 'linux', architecture: 'arm64' }), await layerOf('x')),
        { config: { Cmd: ['x'] } },
      );
    expect((await build()).digest).toBe((await build()).digest);
  });

  it.each([
    [{ user: 'root' }, 'unknown key(s) user'],
    [{ config: { Entrypoint: ['x'], Healthcheck: {} } }, 'unknown config key(s) Healthcheck'],
  ])('withConfig rejects %j', (patch, message) => {
    expect(() =>
      withConfig(emptyImage({ os: 'linux', architecture: 'amd64' }), patch as never),
    ).toThrow(message);
  });

  it('keeps read bytes exactly and checks they agree with the layers', async () => {
    const layer = await layerOf('a');
    const image = withLayer(emptyImage({ os: 'linux', architecture: 'amd64' }), layer);
    const again = imageFromBytes(image.manifestBytes(), image.configBytes(), [layer]);
    expect(again.digest).toBe(image.digest);
    expect(() => imageFromBytes(image.manifestBytes(), image.configBytes(), [])).toThrow(
      'lists 1 layers but 0 were given',
    );
    expect(() => imageFromBytes(image.manifestBytes(), text('{}'), [layer])).toThrow(
      ImageModelError,
    );
    expect(() =>
      imageFromParts({
        config: { ...image.config, rootfs: { type: 'layers', diff_ids: [] } },
        layers: [layer],
      }),
    ).toThrow('do not match');
  });
});

describe('image index', () => {
  const platforms = [
    { os: 'linux', architecture: 'amd64' },
    { os: 'linux', architecture: 'arm64' },
    { os: 'linux', architecture: 'arm', variant: 'v7' },
  ];

  it('lists one descriptor with its platform per image', () => {
    const images = platforms.map((p) => emptyImage(p));
    const index = indexFromImages(images, { [Annotation.created]: '1970-01-01T00:00:00Z' });
    expect(index.manifest).toMatchObject({ schemaVersion: 2, mediaType: MediaType.ociIndex });
    expect(index.manifests.map((m) => m.platform)).toEqual(platforms);
    expect(index.manifests.map((m) => m.digest)).toEqual(images.map((i) => i.digest));
    expect(index.descriptor()).toEqual({
      mediaType: MediaType.ociIndex,
      digest: sha256Digest(index.manifestBytes()),
      size: index.manifestBytes().byteLength,
    });
    expect(indexFromBytes(index.manifestBytes(), images).digest).toBe(index.digest);
  });

  it('rejects two images for one platform and an empty list', () => {
    expect(() =>
      indexFromImages([
        emptyImage(platforms[0]!),
        withConfig(emptyImage(platforms[0]!), { config: { Cmd: ['x'] } }),
      ]),
    ).toThrow('two images for platform linux/amd64 (entries 0 and 1)');
    expect(() => indexFromImages([])).toThrow('at least one image');
  });

  it.each([
    [{ os: 'linux', architecture: 'arm64' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'arm', variant: 'v7' }, 'linux/arm/v7'],
    [
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.1' },
      'windows/amd64:10.0.17763.1',
    ],
  ])('platformKey(%j) = %s', (platform, key) => {
    expect(platformKey(platform)).toBe(key);
  });
});
