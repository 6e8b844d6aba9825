import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunningRegistry, startRegistry } from '../../test-support/src/registry/start-registry';
import { sha256Digest } from '@crossdock/oci';
import { MediaType } from '@crossdock/oci';
import {
  createRegistryClient,
  NotAnImageError,
  readArtifact,
  readImage,
  RegistryClientOptions,
  RegistryError,
  RegistryEvent,
} from '../src';
import { buildTestImage, bytesBlob, jsonBytes, TestImage } from './fixtures';
import { requireTools } from './gate';

describe('registry client against docker-registry (anonymous)', () => {
  if (!requireTools('registry push/pull tests', ['docker-registry', 'skopeo', 'tar'])) return;

  let registry: RunningRegistry;
  let image: TestImage;
  const client = (extra: Partial<RegistryClientOptions> = {}) =>
    createRegistryClient({
      registry: registry.host,
      retry: { initialDelayMs: 10, maxAttempts: 2 },
      ...extra,
    });

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' });
    image = await buildTestImage({ hello: 'hello from crossdock\n' });
  });
  afterAll(async () => registry?.stop());

  it('pings, pushes blobs, a manifest and an index, and reads them back', async () => {
    const events: RegistryEvent[] = [];
    const c = client({ log: (e) => events.push(e) });
    await c.ping();
    expect(await c.pushBlob('team/hello', image.layer)).toBe('uploaded');
    expect(await c.pushBlob('team/hello', image.config)).toBe('uploaded');
    expect(
      await c.pushManifest(
        'team/hello',
        image.manifest.descriptor.digest,
        image.manifest.bytes,
        MediaType.ociManifest,
      ),
    ).toBe(image.manifest.descriptor.digest);
    expect(await c.pushManifest('team/hello', 'v1', image.index.bytes, MediaType.ociIndex)).toBe(
      image.index.descriptor.digest,
    );

    const index = await c.getManifest('team/hello', 'v1');
    expect(Buffer.from(index.bytes).equals(Buffer.from(image.index.bytes))).toBe(true);
    expect(index).toMatchObject({
      mediaType: MediaType.ociIndex,
      digest: image.index.descriptor.digest,
    });
    const manifest = await c.getManifest('team/hello', image.manifest.descriptor.digest);
    expect(manifest.mediaType).toBe(MediaType.ociManifest);
    expect(await c.headManifest('team/hello', 'v1')).toEqual({
      digest: image.index.descriptor.digest,
      mediaType: MediaType.ociIndex,
      size: image.index.bytes.byteLength,
    });

    const layer = await c.getBlob('team/hello', image.layer.descriptor);
    expect(Buffer.from(layer).equals(Buffer.from(await image.layer.open()))).toBe(true);
    expect(await c.blobExists('team/hello', image.config.descriptor.digest)).toBe(true);
    expect(await c.listTags('team/hello')).toEqual(['v1']);

    const stats = c.stats();
    expect(stats.requests.ping).toBe(1);
    expect(stats.blobs).toEqual({ exists: 0, mounted: 0, uploaded: 2 });
    expect(stats.requests['upload-finish']).toBe(2);
    expect(stats.bytesUploaded).toBe(image.layer.descriptor.size + image.config.descriptor.size);
    expect(
      events
        .filter((e) => e.type === 'request')
        .every((e) => e.type === 'request' && !e.path.includes('?')),
    ).toBe(true);
  });

  it('reads an index and an image by reference, validated, the layer fetched only when opened', async () => {
    const c = client();
    for (const blob of [image.layer, image.config]) await c.pushBlob('team/read', blob);
    const digest = image.manifest.descriptor.digest;
    await c.pushManifest('team/read', digest, image.manifest.bytes, MediaType.ociManifest);
    await c.pushManifest('team/read', 'v1', image.index.bytes, MediaType.ociIndex);

    const top = await readArtifact(c, 'team/read', 'v1');
    expect(top.kind).toBe('index');
    if (top.kind !== 'index') return;
    expect(top.digest).toBe(image.index.descriptor.digest);
    expect(top.index.manifests.map((m) => m.digest)).toEqual([digest]);
    await expect(readImage(c, 'team/read', 'v1')).rejects.toThrow(NotAnImageError);

    const before = c.stats().requests['blob-get'];
    const read = await readImage(c, 'team/read', digest);
    expect(read.digest).toBe(digest);
    expect(Buffer.from(read.manifestBytes()).equals(Buffer.from(image.manifest.bytes))).toBe(true);
    expect(read.config.architecture).toBe('amd64');
    expect(c.stats().requests['blob-get']).toBe(before + 1); // the config only
    const layer = read.layers[0]!;
    const bytes = await layer.open();
    expect(Buffer.from(bytes).equals(Buffer.from(await image.layer.open()))).toBe(true);
    await layer.open();
    expect(c.stats().requests['blob-get']).toBe(before + 2); // the layer, once
  });

  it('is read back byte for byte by skopeo', async () => {
    const { stdout } = await execa(
      'skopeo',
      ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/team/hello:v1`],
      { encoding: 'buffer' },
    );
    expect(Buffer.from(stdout).equals(Buffer.from(image.index.bytes))).toBe(true);
  });

  it('uploads no blob when everything is already there', async () => {
    const c = client();
    expect(await c.pushBlob('team/hello', image.layer)).toBe('exists');
    expect(await c.pushBlob('team/hello', image.config)).toBe('exists');
    await c.pushManifest('team/hello', 'v1', image.index.bytes, MediaType.ociIndex);
    const stats = c.stats();
    expect(stats.blobs).toEqual({ exists: 2, mounted: 0, uploaded: 0 });
    expect(
      stats.requests['upload-start'] +
        stats.requests['upload-chunk'] +
        stats.requests['upload-finish'],
    ).toBe(0);
    expect(stats.bytesUploaded).toBe(0);
  });

  it('uploads in chunks above the threshold', async () => {
    const c = client({ upload: { chunkThreshold: 1024, chunkSize: 1000 } });
    const blob = bytesBlob(randomBytes(3500), MediaType.ociLayerTar);
    const progress: number[] = [];
    const logged = createRegistryClient({
      registry: registry.host,
      upload: { chunkThreshold: 1024, chunkSize: 1000 },
      log: (e) => e.type === 'upload-progress' && progress.push(e.uploaded),
    });
    expect(await logged.pushBlob('team/chunked', blob)).toBe('uploaded');
    expect(logged.stats().requests).toMatchObject({
      'upload-start': 1,
      'upload-chunk': 4,
      'upload-finish': 1,
    });
    expect(progress).toEqual([1000, 2000, 3000, 3500]);
    expect(sha256Digest(await c.getBlob('team/chunked', blob.descriptor))).toBe(
      blob.descriptor.digest,
    );
  });

  it('mounts a blob from another repository instead of uploading it', async () => {
    const c = client();
    const blob = bytesBlob(randomBytes(2048), MediaType.ociLayerTar);
    expect(await c.pushBlob('mount/a', blob)).toBe('uploaded');
    expect(await c.pushBlob('mount/b', blob, { mountFrom: ['mount/a'] })).toBe('mounted');
    expect(c.stats().requests['blob-mount']).toBe(1);
    expect(c.stats().requests['upload-start']).toBe(1); // only the first push
    expect(await c.blobExists('mount/b', blob.descriptor.digest)).toBe(true);
    expect(blob.opened()).toBe(1);
  });

  it('falls back to an upload when the mount source lacks the blob (202)', async () => {
    const c = client();
    const blob = bytesBlob(randomBytes(512), MediaType.ociLayerTar);
    expect(await c.pushBlob('mount/c', blob, { mountFrom: ['mount/nothing-here'] })).toBe(
      'uploaded',
    );
    expect(c.stats().requests).toMatchObject({
      'blob-mount': 1,
      'upload-start': 0,
      'upload-finish': 1,
    });
  });

  it('refuses a blob whose stored bytes were corrupted on disk', async () => {
    const c = client();
    const blob = bytesBlob(
      Buffer.from('the original content of this blob\n'),
      MediaType.ociLayerTar,
    );
    await c.pushBlob('team/corrupt', blob);
    const path = registry.blobDataPath(blob.descriptor.digest);
    const original = await readFile(path);
    await writeFile(path, Buffer.from(original.toString('utf8').replace('original', 'tampered')));
    const error = await c.getBlob('team/corrupt', blob.descriptor.digest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({
      code: 'DIGEST_MISMATCH',
      retryable: false,
      method: 'GET',
      path: `/v2/team/corrupt/blobs/${blob.descriptor.digest}`,
    });
    const wrongSize = await c
      .getBlob('team/corrupt', { ...blob.descriptor, size: blob.descriptor.size + 1 })
      .catch((e: unknown) => e);
    expect(wrongSize).toMatchObject({ code: 'DIGEST_MISMATCH' });
  });

  it('refuses to push a blob whose bytes do not match its descriptor', async () => {
    const c = client();
    const blob = {
      descriptor: bytesBlob(Buffer.from('a'), MediaType.ociLayerTar).descriptor,
      open: async () => Buffer.from('b'),
    };
    await expect(c.pushBlob('team/hello', blob)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    expect(c.stats().requests['upload-start']).toBe(0);
  });

  it('reports unknown manifests and blobs with the spec codes', async () => {
    const c = client();
    const error = await c.getManifest('team/hello', 'no-such-tag').catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'MANIFEST_UNKNOWN',
      status: 404,
      retryable: false,
      method: 'GET',
      path: '/v2/team/hello/manifests/no-such-tag',
    });
    expect((error as Error).message).toContain('/v2/team/hello/manifests/no-such-tag');
    expect(await c.headManifest('team/hello', 'no-such-tag')).toBeUndefined();
    expect(await c.blobExists('team/hello', sha256Digest('absent'))).toBe(false);
    await expect(
      c.pushManifest('team/hello', sha256Digest('other'), image.index.bytes, MediaType.ociIndex),
    ).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
  });

  it('finds referrers through the tag schema fallback on a registry without the referrers API', async () => {
    const fallback: string[] = [];
    const c = client({ log: (e) => e.type === 'referrers-fallback' && fallback.push(e.action) });
    const sbom = bytesBlob(
      jsonBytes({ spdxVersion: 'SPDX-2.3', name: 'hello' }),
      MediaType.spdxJson,
    );
    const empty = bytesBlob(Buffer.from('{}'), MediaType.ociEmpty);
    await c.pushBlob('team/hello', sbom);
    await c.pushBlob('team/hello', empty);
    const artifact = jsonBytes({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType: MediaType.spdxJson,
      config: empty.descriptor,
      layers: [sbom.descriptor],
      subject: image.manifest.descriptor,
      annotations: { 'org.opencontainers.image.created': '2024-01-01T00:00:00Z' },
    });
    const digest = await c.pushManifest(
      'team/hello',
      sha256Digest(artifact),
      artifact,
      MediaType.ociManifest,
    );
    const referrers = await c.referrers('team/hello', image.manifest.descriptor.digest);
    expect(referrers).toEqual([
      {
        mediaType: MediaType.ociManifest,
        digest,
        size: artifact.byteLength,
        artifactType: MediaType.spdxJson,
        annotations: { 'org.opencontainers.image.created': '2024-01-01T00:00:00Z' },
      },
    ]);
    expect(
      await c.referrers('team/hello', image.manifest.descriptor.digest, {
        artifactType: 'application/other',
      }),
    ).toEqual([]);
    expect(await c.referrers('team/hello', image.index.descriptor.digest)).toEqual([]);
    // Pushing the same referrer again leaves the fallback index as it is.
    await c.pushManifest('team/hello', digest, artifact, MediaType.ociManifest);
    expect(await c.referrers('team/hello', image.manifest.descriptor.digest)).toHaveLength(1);
    expect(fallback).toEqual(['updated', 'read', 'read', 'read', 'read']);
    expect(await c.listTags('team/hello')).toContain(
      `sha256-${image.manifest.descriptor.digest.slice(7)}`,
    );
  });
});
