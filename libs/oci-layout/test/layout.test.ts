import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Annotation,
  type ImageIndex,
  MediaType,
  indexFromImages,
  layerFromBlob,
  sha256Digest,
  withLayer,
} from '@crossdock/oci';
import { OciLayoutError, OciValidationError } from '../src';
import { layoutBlobPath, readOciLayout, validateLayout, writeOciLayout } from '../src';
import { PLATFORMS, helloIndex } from './fixtures';
import { GO, SKOPEO, itWithTool, tempDir } from '../../test-support/src/integration-gates';

const withGo = itWithTool(GO, 'the Go toolchain');
const withSkopeo = existsSync(GO) ? itWithTool(SKOPEO, 'skopeo') : withGo;

describe('OCI layout of a 3-platform index of real Go binaries', () => {
  let root = '';
  let cleanup = async (): Promise<void> => undefined;
  let index: ImageIndex;
  let layout = '';
  beforeAll(async () => {
    ({ dir: root, cleanup } = await tempDir('layout'));
    if (!existsSync(GO)) return;
    index = await helloIndex(join(root, 'go'));
    layout = join(root, 'images', 'hello');
    await writeOciLayout(layout, index, { refName: 'latest' });
  });
  afterAll(() => cleanup());

  withGo(
    'writes oci-layout, index.json pointing at the image index, and each blob once',
    async () => {
      expect(JSON.parse(await readFile(join(layout, 'oci-layout'), 'utf8'))).toEqual({
        imageLayoutVersion: '1.0.0',
      });
      const top = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8'));
      expect(top).toEqual({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [{ ...index.descriptor(), annotations: { [Annotation.refName]: 'latest' } }],
      });
      // 3 layers + 3 configs + 3 manifests + 1 index
      expect((await readdir(join(layout, 'blobs', 'sha256'))).length).toBe(10);
      const report = await validateLayout(layout);
      expect(report.images.map((i) => i.platform)).toEqual(PLATFORMS.map((p) => p.oci));
      expect(report.blobs).toBe(10);
      expect(report.indexes).toEqual([index.digest]);
    },
  );

  withGo('reads back the same index, images and layers', async () => {
    const read = await readOciLayout(layout);
    const back = await read.resolveIndex('latest');
    expect(back.digest).toBe(index.digest);
    expect(back.images.map((i) => i.digest)).toEqual(index.images.map((i) => i.digest));
    const arm64 = await read.image(back.manifests[1]!);
    expect(arm64.config.architecture).toBe('arm64');
    const layer = arm64.layers[0]!;
    expect(sha256Digest(await layer.openUncompressed())).toBe(layer.diffId);
    await expect(read.resolveIndex('nope')).rejects.toThrow(
      'no entry named "nope"; names present: latest',
    );
  });

  withGo('writing an unchanged index again gives identical bytes', async () => {
    const again = join(root, 'again');
    await writeOciLayout(again, index, { refName: 'latest' });
    for (const name of ['index.json', 'oci-layout'])
      expect(await readFile(join(again, name))).toEqual(await readFile(join(layout, name)));
    expect((await readdir(join(again, 'blobs', 'sha256'))).sort()).toEqual(
      (await readdir(join(layout, 'blobs', 'sha256'))).sort(),
    );
  });

  withSkopeo('skopeo sees the index with 3 platforms', async () => {
    const { stdout } = await execa(SKOPEO, ['inspect', '--raw', `oci:${layout}:latest`]);
    expect(sha256Digest(stdout)).toBe(index.digest);
    const raw = JSON.parse(stdout);
    expect(raw.manifests.map((m: { platform: unknown }) => m.platform)).toEqual(
      PLATFORMS.map((p) => p.oci),
    );
  });

  withSkopeo.each([
    [['--override-arch', 'arm64'], 'arm64', undefined],
    [['--override-arch', 'arm', '--override-variant', 'v7'], 'arm', 'v7'],
    [['--override-arch', 'amd64'], 'amd64', undefined],
  ])('skopeo picks the right config for %j', async (args, architecture, variant) => {
    const { stdout } = await execa(SKOPEO, ['inspect', '--config', ...args, `oci:${layout}`]);
    const config = JSON.parse(stdout);
    expect([config.os, config.architecture, config.variant]).toEqual([
      'linux',
      architecture,
      variant,
    ]);
    expect(config.config.Entrypoint).toEqual(['/usr/local/bin/hello']);
  });

  withSkopeo(
    'skopeo copies one platform out (checking every digest) and its layout reads back',
    async () => {
      const single = join(root, 'skopeo-single');
      await execa(SKOPEO, [
        'copy',
        '--override-arch',
        'arm64',
        `oci:${layout}`,
        `oci:${single}:arm64`,
      ]);
      const copied = await (await readOciLayout(single)).resolveIndex();
      expect(copied.images.map((i) => i.digest)).toEqual([index.images[1]?.digest]);
      await validateLayout(single);
      const out = join(root, 'skopeo-dir');
      await execa(SKOPEO, [
        'copy',
        '--override-arch',
        'arm',
        '--override-variant',
        'v7',
        `oci:${layout}`,
        `dir:${out}`,
      ]);
      expect(await readFile(join(out, 'manifest.json'))).toEqual(
        Buffer.from(index.images[2]!.manifestBytes()),
      );
    },
  );

  withGo('a corrupted blob is caught on read and by the validator', async () => {
    const copy = join(root, 'corrupt');
    await writeOciLayout(copy, index);
    const layerDescriptor = index.images[0]!.layers[0]!.descriptor;
    const path = layoutBlobPath(copy, layerDescriptor.digest);
    const bytes = await readFile(path);
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    await writeFile(path, bytes);
    const read = await readOciLayout(copy);
    const error = await read.blob(layerDescriptor).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OciLayoutError);
    expect((error as OciLayoutError).message).toContain(
      `blob ${layerDescriptor.digest} has digest sha256:`,
    );
    expect((error as OciLayoutError).path).toBe(path);
    const invalid = await validateLayout(copy).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(OciValidationError);
    expect((invalid as OciValidationError).problems).toContainEqual(
      expect.stringContaining(`layer 0: blob ${layerDescriptor.digest} has digest sha256:`),
    );
  });

  withGo(
    'keeps the previous layout when a writer fails midway, and leaves no temporary directory',
    async () => {
      const target = join(root, 'atomic');
      await writeOciLayout(target, index, { refName: 'v1' });
      const good = index.images[0]!;
      const real = good.layers[0]!;
      let opened = 0;
      const failing = layerFromBlob(
        { ...real.descriptor, digest: sha256Digest('other'), size: 5 },
        real.diffId,
        async () => {
          opened++;
          throw new Error('disk went away');
        },
      );
      const broken = indexFromImages([good, withLayer(index.images[1]!, failing)]);
      await expect(writeOciLayout(target, broken, { refName: 'v2' })).rejects.toThrow(
        'disk went away',
      );
      expect(opened).toBe(1);
      const still = await (await readOciLayout(target)).resolveIndex('v1');
      expect(still.digest).toBe(index.digest);
      await validateLayout(target);
      expect((await readdir(root)).filter((n) => n.startsWith('atomic.'))).toEqual([]);

      const smaller = indexFromImages([good]);
      await writeOciLayout(target, smaller, { refName: 'v2' });
      expect((await (await readOciLayout(target)).resolveIndex('v2')).digest).toBe(smaller.digest);
      expect((await readdir(join(target, 'blobs', 'sha256'))).length).toBe(4);
      expect((await readdir(root)).filter((n) => n.startsWith('atomic.'))).toEqual([]);
    },
  );

  withGo('refuses a layer whose bytes do not match its descriptor', async () => {
    const real = index.images[0]!.layers[0]!;
    const claimed = { ...real.descriptor, digest: sha256Digest('claimed'), size: 7 };
    const lying = layerFromBlob(claimed, real.diffId, async () =>
      new TextEncoder().encode('not the layer'),
    );
    const bad = indexFromImages([withLayer(index.images[0]!, lying)]);
    await expect(writeOciLayout(join(root, 'lying'), bad)).rejects.toThrow(
      `image 0 layer 1: blob ${claimed.digest} has size 13, expected 7`,
    );
    expect(existsSync(join(root, 'lying'))).toBe(false);
  });
});

describe('readOciLayout errors name the file', () => {
  let root = '';
  let cleanup = async (): Promise<void> => undefined;
  beforeAll(async () => ({ dir: root, cleanup } = await tempDir('layout-errors')));
  afterAll(() => cleanup());

  it('missing oci-layout', async () => {
    await expect(readOciLayout(join(root, 'nothing'))).rejects.toThrow(
      `layout marker ${join(root, 'nothing', 'oci-layout')} is missing`,
    );
  });

  it('bad JSON in index.json, missing blob, relative path', async () => {
    const dir = join(root, 'bad');
    await execa('mkdir', ['-p', join(dir, 'blobs', 'sha256')]);
    await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    await writeFile(join(dir, 'index.json'), '{"schemaVersion":2,');
    const layout = await readOciLayout(dir);
    const error = await layout.index().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OciLayoutError);
    expect((error as OciLayoutError).message).toContain(
      `${join(dir, 'index.json')} is not valid JSON`,
    );
    const digest = sha256Digest('absent');
    await expect(layout.blob(digest)).rejects.toThrow(
      `blob ${digest} ${layoutBlobPath(dir, digest)} is missing`,
    );
    await expect(readOciLayout('relative/dir')).rejects.toThrow('is relative');
  });

  it('validator lists every problem at once', async () => {
    const dir = join(root, 'invalid');
    await execa('mkdir', ['-p', dir]);
    await writeFile(
      join(dir, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          { mediaType: MediaType.ociManifest, digest: sha256Digest('a'), size: 1 },
          { mediaType: 'text/plain', digest: sha256Digest('b'), size: 1 },
        ],
      }),
    );
    const error = (await validateLayout(dir).catch((e: unknown) => e)) as OciValidationError;
    expect(error).toBeInstanceOf(OciValidationError);
    expect(error.problems).toEqual([
      `${join(dir, 'oci-layout')} is missing`,
      expect.stringContaining(`index.json manifests[0]: blob ${sha256Digest('a')} is missing`),
      'index.json manifests[1]: unknown media type text/plain',
    ]);
  });
});
