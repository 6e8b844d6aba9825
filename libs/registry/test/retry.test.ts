import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FaultPlan,
  FaultProxy,
  startFaultProxy,
} from '../../test-support/src/registry/fault-proxy';
import { RunningRegistry, startRegistry } from '../../test-support/src/registry/start-registry';
import { MediaType } from '@crossdock/oci';
import { createRegistryClient, RegistryClientOptions, RegistryError, RegistryEvent } from '../src';
import { buildTestImage, bytesBlob, TestImage } from './fixtures';
import { requireTools } from './gate';

describe('registry client retries (fault proxy in front of docker-registry)', () => {
  if (!requireTools('registry retry tests', ['docker-registry', 'tar'])) return;
  let registry: RunningRegistry;
  let image: TestImage;
  const proxies: FaultProxy[] = [];

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' });
    image = await buildTestImage({ retry: 'retry me\n' });
    const seed = createRegistryClient({ registry: registry.host });
    await seed.pushBlob('flaky/app', image.layer);
    await seed.pushBlob('flaky/app', image.config);
    await seed.pushManifest('flaky/app', 'v1', image.manifest.bytes, MediaType.ociManifest);
  });
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.stop()));
    await registry?.stop();
  });

  async function through(plan: FaultPlan, extra: Partial<RegistryClientOptions> = {}) {
    const proxy = await startFaultProxy(registry.host, plan);
    proxies.push(proxy);
    const events: RegistryEvent[] = [];
    const client = createRegistryClient({
      registry: proxy.host,
      retry: { initialDelayMs: 20, maxDelayMs: 2000, maxAttempts: 4, maxElapsedMs: 10_000 },
      log: (e) => events.push(e),
      ...extra,
    });
    return { proxy, client, events };
  }

  it('retries 503 twice, then succeeds', async () => {
    const { proxy, client, events } = await through(({ method, path, seen }) =>
      method === 'GET' && path === '/v2/flaky/app/manifests/v1' && seen < 2
        ? { status: 503 }
        : undefined,
    );
    const manifest = await client.getManifest('flaky/app', 'v1');
    expect(manifest.digest).toBe(image.manifest.descriptor.digest);
    expect(proxy.requests().filter((r) => r.path === '/v2/flaky/app/manifests/v1')).toHaveLength(3);
    expect(client.stats().retries).toBe(2);
    expect(client.stats().requests['manifest-get']).toBe(3);
    expect(
      events
        .filter((e) => e.type === 'retry')
        .map((e) => e.type === 'retry' && [e.attempt, e.status]),
    ).toEqual([
      [1, 503],
      [2, 503],
    ]);
  });

  it('waits as long as Retry-After asks on 429', async () => {
    const { proxy, client, events } = await through(({ method, path, seen }) =>
      method === 'HEAD' && path.startsWith('/v2/flaky/app/blobs/') && seen === 0
        ? {
            status: 429,
            headers: { 'retry-after': '1' },
            body: JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }),
          }
        : undefined,
    );
    const started = Date.now();
    expect(await client.blobExists('flaky/app', image.layer.descriptor.digest)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(proxy.requests().filter((r) => r.method === 'HEAD')).toHaveLength(2);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({
      code: 'TOOMANYREQUESTS',
      status: 429,
      delayMs: 1000,
    });
  });

  it('gives up on a permanent 500 after the attempt bound with a retryable error naming the request', async () => {
    const { proxy, client } = await through(
      ({ method }) =>
        method === 'PUT'
          ? {
              status: 500,
              body: JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'disk on fire' }] }),
            }
          : undefined,
      {
        retry: { initialDelayMs: 10, maxAttempts: 3 },
      },
    );
    const error = (await client
      .pushManifest('flaky/app', 'v2', image.manifest.bytes, MediaType.ociManifest)
      .catch((e: unknown) => e)) as RegistryError;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({
      code: 'UNKNOWN',
      status: 500,
      retryable: true,
      attempts: 3,
      method: 'PUT',
      path: '/v2/flaky/app/manifests/v2',
    });
    expect(error.message).toMatch(
      /^PUT 127\.0\.0\.1:\d+\/v2\/flaky\/app\/manifests\/v2: HTTP 500 .*disk on fire.*gave up after 3 attempts/,
    );
    expect(proxy.requests().filter((r) => r.method === 'PUT')).toHaveLength(3);
  });

  it('stops early when Retry-After exceeds the time bound', async () => {
    const { proxy, client } = await through(
      () => ({ status: 503, headers: { 'retry-after': '30' } }),
      {
        retry: { maxElapsedMs: 1000, maxDelayMs: 60_000 },
      },
    );
    const started = Date.now();
    await expect(client.ping()).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      retryable: true,
      attempts: 1,
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(proxy.requests()).toHaveLength(1);
  });

  it('does not retry other 4xx answers', async () => {
    const { proxy, client } = await through(() => ({
      status: 400,
      body: JSON.stringify({ errors: [{ code: 'NAME_INVALID', message: 'no' }] }),
    }));
    await expect(client.getManifest('flaky/app', 'v1')).rejects.toMatchObject({
      code: 'NAME_INVALID',
      status: 400,
      retryable: false,
    });
    expect(proxy.requests()).toHaveLength(1);
  });

  it('restarts an upload from its POST after a connection reset', async () => {
    let puts = 0;
    const { proxy, client } = await through(({ method, path }) =>
      method === 'PUT' && path.startsWith('/v2/flaky/upload/blobs/uploads/') && puts++ === 0
        ? 'reset'
        : undefined,
    );
    const blob = bytesBlob(Buffer.from('uploaded twice, stored once\n'), MediaType.ociLayerTar);
    expect(await client.pushBlob('flaky/upload', blob)).toBe('uploaded');
    const posts = proxy.requests().filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(blob.opened()).toBe(2);
    expect(client.stats().requests).toMatchObject({ 'upload-start': 2, 'upload-finish': 2 });
    expect(await client.blobExists('flaky/upload', blob.descriptor.digest)).toBe(true);
  });

  it('retries a chunked upload from its POST when a PATCH fails with 503', async () => {
    let patches = 0;
    const { proxy, client } = await through(
      ({ method }) => (method === 'PATCH' && patches++ === 1 ? { status: 503 } : undefined),
      {
        upload: { chunkThreshold: 10, chunkSize: 16 },
      },
    );
    const blob = bytesBlob(
      Buffer.from('a blob of more than sixteen bytes, in chunks\n'),
      MediaType.ociLayerTar,
    );
    expect(await client.pushBlob('flaky/chunks', blob)).toBe('uploaded');
    expect(proxy.requests().filter((r) => r.method === 'POST')).toHaveLength(2);
    // 3 chunks: 2 PATCHes in the failed session (the second refused), 3 in the new one.
    expect(proxy.requests().filter((r) => r.method === 'PATCH')).toHaveLength(5);
    expect(await client.getBlob('flaky/chunks', blob.descriptor)).toHaveLength(
      blob.descriptor.size,
    );
  });
});
