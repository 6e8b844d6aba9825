import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EPOCH,
  buildLayer,
  emptyImage,
  gzipDeterministic,
  indexFromImages,
  readTarFileIndex,
  sha256Digest,
  withConfig,
  withLayers,
  writeTar,
} from '@crossdock/oci';
import { DockerArchiveError } from '../src';
import { readDockerArchive, validateLayout, writeDockerArchive, writeOciLayout } from '../src';
import {
  DOCKER,
  GO,
  SKOPEO,
  SYSTEM_TAR,
  buildGoHello,
  dockerEngineAvailable,
  itWithTool,
  tempDir,
} from '../../test-support/src/integration-gates';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

async function sampleImage() {
  const base = await buildLayer(
    [
      {
        path: 'etc/os-release',
        type: 'file',
        mode: 0o644,
        uid: 0,
        gid: 0,
        content: text('ID=crossdock\n'),
      },
    ],
    { mtime: 0 },
  );
  const app = await buildLayer(
    [
      {
        path: 'usr/local/bin/app',
        type: 'file',
        mode: 0o755,
        uid: 0,
        gid: 0,
        content: text('#!/bin/sh\necho hi\n'),
      },
    ],
    { mtime: 0 },
  );
  const image = withLayers(
    withConfig(emptyImage({ os: 'linux', architecture: 'arm64' }), { created: EPOCH }),
    [base, app],
  );
  return withConfig(image, { config: { Entrypoint: ['/usr/local/bin/app'], User: '65532' } });
}

describe('docker archive', () => {
  let root = '';
  let cleanup = async (): Promise<void> => undefined;
  beforeAll(async () => ({ dir: root, cleanup } = await tempDir('docker-archive')));
  afterAll(() => cleanup());

  it('round-trips: same config bytes, diff_ids, layer digests and manifest digest', async () => {
    const image = await sampleImage();
    const path = join(root, 'app.tar');
    await writeDockerArchive(path, image, 'crossdock/app:latest');
    const [read, ...more] = await readDockerArchive(path);
    expect(more).toEqual([]);
    expect(read?.repoTags).toEqual(['crossdock/app:latest']);
    expect(read?.image.configBytes()).toEqual(image.configBytes());
    expect(read?.image.config.rootfs.diff_ids).toEqual(image.config.rootfs.diff_ids);
    expect(read?.image.layers.map((l) => l.descriptor)).toEqual(
      image.layers.map((l) => l.descriptor),
    );
    expect(read?.image.digest).toBe(image.digest);
  });

  itWithTool(SYSTEM_TAR, 'GNU tar')(
    'writes manifest.json, the config and layer tars, listed by GNU tar',
    async () => {
      const image = await sampleImage();
      const path = join(root, 'listed.tar');
      await writeDockerArchive(path, image, 'localhost:5000/crossdock/app:v1');
      const { stdout } = await execa(SYSTEM_TAR, ['-tf', path]);
      const configHex = sha256Digest(image.configBytes()).slice(7);
      const [a, b] = image.config.rootfs.diff_ids.map((d) => d.slice(7));
      expect(stdout.split('\n')).toEqual([
        `${configHex}.json`,
        `${a}/`,
        `${a}/layer.tar`,
        `${b}/`,
        `${b}/layer.tar`,
        'manifest.json',
      ]);
      const entries = await readTarFileIndex(path);
      expect(new Set(entries.map((e) => e.mtime))).toEqual(new Set([0]));
    },
  );

  it('keeps gzip layers of an archive as they are and checks every diff_id', async () => {
    const image = await sampleImage();
    const layers = await Promise.all(image.layers.map((l) => l.openUncompressed()));
    const gz = await gzipDeterministic(layers[0]!, 1);
    const archive = (diffIds: readonly string[]) =>
      writeTar([
        file(
          'c.json',
          text(JSON.stringify({ ...image.config, rootfs: { type: 'layers', diff_ids: diffIds } })),
        ),
        file('l0.tar.gz', gz),
        file('l1.tar', layers[1]!),
        file(
          'manifest.json',
          text(
            JSON.stringify([
              { Config: 'c.json', RepoTags: null, Layers: ['./l0.tar.gz', 'l1.tar'] },
            ]),
          ),
        ),
      ]);
    const good = join(root, 'gz.tar');
    await writeFile(good, archive(image.config.rootfs.diff_ids));
    const [read] = await readDockerArchive(good);
    expect(read?.repoTags).toEqual([]);
    expect(read?.image.layers[0]?.descriptor.digest).toBe(sha256Digest(gz));
    expect(read?.image.layers[1]?.descriptor.digest).toBe(image.layers[1]?.descriptor.digest);

    const bad = join(root, 'bad.tar');
    await writeFile(
      bad,
      archive([image.config.rootfs.diff_ids[1]!, image.config.rootfs.diff_ids[0]!]),
    );
    const error = await readDockerArchive(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerArchiveError);
    expect((error as Error).message).toContain(
      `layer 0 (./l0.tar.gz) has diff_id ${image.config.rootfs.diff_ids[0]}`,
    );
  });

  it.each([
    ['missing manifest.json', [], 'manifest "manifest.json" is missing'],
    ['a manifest that is not an array', [file('manifest.json', text('{}'))], 'is not a JSON array'],
  ])('rejects an archive with %s', async (_name, files, message) => {
    const path = join(root, `broken-${files.length}.tar`);
    await writeFile(path, writeTar(files));
    await expect(readDockerArchive(path)).rejects.toThrow(message);
  });

  it('rejects a bad repo tag and a relative path', async () => {
    const image = await sampleImage();
    await expect(writeDockerArchive(join(root, 'x.tar'), image, 'Crossdock/App')).rejects.toThrow(
      'repo tag "Crossdock/App" is invalid',
    );
    await expect(writeDockerArchive('x.tar', image, 'a:b')).rejects.toThrow('is relative');
    expect(existsSync(join(root, 'x.tar'))).toBe(false);
  });

  it('loads into and saves from a real Docker engine with the same diff_ids', async () => {
    if (!(await dockerEngineAvailable('the docker load/save round trip'))) return;
    const image = withConfig(await sampleImage(), { architecture: 'amd64' });
    const tag = `crossdock-oci-test/archive:${process.pid}`;
    const loadPath = join(root, 'load.tar');
    await writeDockerArchive(loadPath, image, tag);
    await execa(DOCKER, ['load', '-i', loadPath]);
    try {
      const savePath = join(root, 'save.tar');
      await execa(DOCKER, ['save', '-o', savePath, tag]);
      const [saved] = await readDockerArchive(savePath);
      expect(saved?.repoTags).toContain(tag);
      expect(saved?.image.config.rootfs.diff_ids).toEqual(image.config.rootfs.diff_ids);
      expect(saved?.image.config.config?.Entrypoint).toEqual(['/usr/local/bin/app']);
      expect(saved?.image.layers.map((l) => l.diffId)).toEqual(image.layers.map((l) => l.diffId));
    } finally {
      await execa(DOCKER, ['rmi', tag], { reject: false });
    }
  });

  itWithTool(GO, 'the Go toolchain')(
    'converts a `docker build` + `docker save` of a real Go binary into a valid OCI layout',
    async () => {
      if (!(await dockerEngineAvailable('the docker build → OCI layout conversion'))) return;
      const context = join(root, 'context');
      const [binary] = await buildGoHello(join(root, 'go'), [{ os: 'linux', arch: 'arm64' }]);
      await execa('mkdir', ['-p', context]);
      await execa('cp', [binary ?? '', join(context, 'hello')]);
      await writeFile(
        join(context, 'Dockerfile'),
        'FROM scratch\nCOPY hello /usr/local/bin/hello\nUSER 65532\nENTRYPOINT ["/usr/local/bin/hello"]\n',
      );
      const tag = `crossdock-oci-test/built:${process.pid}`;
      await execa(DOCKER, ['build', '--platform', 'linux/arm64', '-t', tag, context]);
      try {
        const saved = join(root, 'built.tar');
        await execa(DOCKER, ['save', '-o', saved, tag]);
        const [read] = await readDockerArchive(saved);
        const { stdout: imageId } = await execa(DOCKER, [
          'image',
          'inspect',
          '--format',
          '{{.Id}}',
          tag,
        ]);
        expect(sha256Digest(read!.image.configBytes())).toBe(imageId);
        const layout = join(root, 'built-layout');
        await writeOciLayout(layout, indexFromImages([read!.image]));
        const report = await validateLayout(layout);
        expect(report.images[0]?.platform).toMatchObject({ os: 'linux', architecture: 'arm64' });
        if (existsSync(SKOPEO)) {
          const { stdout } = await execa(SKOPEO, [
            'inspect',
            '--config',
            '--override-arch',
            'arm64',
            `oci:${layout}`,
          ]);
          expect(JSON.parse(stdout).config.Entrypoint).toEqual(['/usr/local/bin/hello']);
        }
      } finally {
        await execa(DOCKER, ['rmi', tag], { reject: false });
      }
    },
  );
});

function file(name: string, data: Uint8Array) {
  return {
    header: {
      name,
      type: 'file' as const,
      mode: 0o644,
      uid: 0,
      gid: 0,
      size: data.byteLength,
      mtime: 0,
    },
    data,
  };
}
