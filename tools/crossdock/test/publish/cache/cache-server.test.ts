import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRegistryClient, staticCredentials } from '@crossdock/registry';
import {
  startFaultProxy,
  type Fault,
  type FaultProxy,
} from '../../../../../libs/test-support/src/registry/fault-proxy';
import {
  startRegistry,
  type RunningRegistry,
} from '../../../../../libs/test-support/src/registry/start-registry';
import { toolGate } from '../../../../../libs/test-support/src/tool-gate';
import { startCacheCli } from '../../e2e/remote-cache-support';
import { pruneEntries } from '../../../src/publish/cache/prune';
import { startCacheServer, type RunningCacheServer } from '../../../src/publish/cache/serve';

// Nx's self-hosted cache API as crossdock serves it, spoken to with plain HTTP: every status
// of the spec, both tokens, concurrent and aborted uploads, and a registry that fails. The
// registry is a real docker-registry behind a fault-injecting proxy.

const gate = toolGate('cache server', ['docker-registry'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

const RW = 'Bearer test-read-write';
const RO = 'Bearer test-read-only';
const CLI = join(__dirname, '../../../bin/crossdock.js');

describe.skipIf(!gate.ok && !gate.ci)('crossdock cache serve, at the HTTP level', () => {
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  let fault: (req: { method: string; path: string }) => Fault | undefined = () => undefined;
  let running: RunningCacheServer;
  const warnings: string[] = [];

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.host, (req) => fault(req));
    running = await startCacheServer({
      host: '127.0.0.1',
      port: 0,
      store: { registry: proxy.host, repository: 'cache-test/nx' },
      tokens: { readWrite: 'test-read-write', readOnly: 'test-read-only' },
      credentials: staticCredentials({ username: 'unused', password: 'unused' }),
      insecure: [],
      timeoutMs: 1000,
      probeMs: 300,
      log: () => undefined,
      warn: (line) => warnings.push(line),
    });
  });
  afterAll(async () => {
    await running?.close();
    await proxy?.stop();
    await registry?.stop();
  });
  beforeEach(() => {
    fault = () => undefined;
    warnings.length = 0;
  });

  const send = (method: string, hash: string, auth?: string, body?: Uint8Array) =>
    fetch(`${running.url}/v1/cache/${hash}`, {
      method,
      headers: auth ? { authorization: auth } : {},
      ...(body ? { body } : {}),
    });
  const newHash = () => `${Date.now()}${Math.floor(Math.random() * 1e6)}`;

  it('answers 401 in text/plain without a token or with a wrong one, for reads and writes', async () => {
    for (const [method, auth] of [
      ['GET', undefined],
      ['GET', 'Bearer wrong'],
      ['PUT', 'Basic dXNlcjpwYXNz'],
      ['PUT', undefined],
    ] as const) {
      const res = await send(
        method,
        newHash(),
        auth,
        method === 'PUT' ? randomBytes(10) : undefined,
      );
      expect([method, res.status]).toEqual([method, 401]);
      expect(res.headers.get('content-type')).toBe('text/plain');
    }
  });

  it('answers 404 for an unknown hash, 400 for a malformed one', async () => {
    expect((await send('GET', newHash(), RO)).status).toBe(404);
    for (const bad of ['a.b', 'x'.repeat(129), 'bad%20hash', '%E0%A4%A', '-leading'])
      expect([bad, (await send('GET', bad, RW)).status]).toEqual([bad, 400]);
  });

  it('stores with the read-write token (200), serves the same bytes to the read-only one, never overwrites (409)', async () => {
    const hash = newHash();
    const body = randomBytes(300_000);
    expect((await send('PUT', hash, RO, body)).status).toBe(403);
    expect((await send('GET', hash, RO)).status).toBe(404);
    expect((await send('PUT', hash, RW, body)).status).toBe(200);
    expect((await send('PUT', hash, RW, randomBytes(10))).status).toBe(409);
    const got = await send('GET', hash, RO);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(body)).toBe(true);
  });

  it('lets exactly one of concurrent PUTs of one hash win; the others get 409', async () => {
    const hash = newHash();
    const bodies = Array.from({ length: 5 }, () => randomBytes(2_000_000));
    const statuses = await Promise.all(
      bodies.map((b) => send('PUT', hash, RW, b).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(4);
    const stored = Buffer.from(await (await send('GET', hash, RO)).arrayBuffer());
    expect(stored.equals(bodies[statuses.indexOf(200)]!)).toBe(true);
  });

  it('never serves an upload cut off midway, and takes the hash again afterwards', async () => {
    const hash = newHash();
    await new Promise<void>((resolve) => {
      const url = new URL(`${running.url}/v1/cache/${hash}`);
      const req = request(url, {
        method: 'PUT',
        headers: { authorization: RW, 'content-length': '1000000' },
      });
      req.on('error', () => resolve());
      req.write(randomBytes(400_000), () =>
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 200),
      );
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await send('GET', hash, RO)).status).toBe(404);
    expect(warnings.join('\n')).toMatch(/upload of \d+ broke off/);
    expect((await send('PUT', hash, RW, randomBytes(1000))).status).toBe(200);
  });

  it('makes a down registry a miss (GET 404, PUT 409) with one warning, and recovers', async () => {
    const hash = newHash();
    const body = randomBytes(5000);
    expect((await send('PUT', hash, RW, body)).status).toBe(200);
    fault = () => ({ status: 503 });
    expect((await send('GET', hash, RO)).status).toBe(404);
    expect((await send('GET', hash, RO)).status).toBe(404);
    expect((await send('PUT', newHash(), RW, body)).status).toBe(409);
    expect(warnings.filter((w) => w.startsWith('warning: the cache store'))).toHaveLength(1);
    fault = () => undefined;
    await new Promise((r) => setTimeout(r, 350));
    expect((await send('GET', hash, RO)).status).toBe(200);
    expect(warnings.at(-1)).toMatch(/answers again/);
  });

  it('makes a slow registry a miss within the timeout', async () => {
    const hash = newHash();
    expect((await send('PUT', hash, RW, randomBytes(5000))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 350));
    fault = () => ({ delayMs: 5000 });
    const started = Date.now();
    expect((await send('GET', hash, RO)).status).toBe(404);
    expect(Date.now() - started).toBeLessThan(4000);
    fault = () => undefined;
    await new Promise((r) => setTimeout(r, 350));
  });

  it('makes a blob cut off midway or corrupt a miss, never a truncated answer', async () => {
    const hash = newHash();
    expect((await send('PUT', hash, RW, randomBytes(100_000))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 350));
    for (const blobFault of [{ truncateAfter: 1000 }, { corrupt: true as const }]) {
      fault = (req) =>
        req.method === 'GET' && req.path.includes('/blobs/') ? blobFault : undefined;
      expect((await send('GET', hash, RO)).status).toBe(404);
      fault = () => undefined;
      await new Promise((r) => setTimeout(r, 350));
    }
    expect((await send('GET', hash, RO)).status).toBe(200);
  });

  it('prunes entries older than the cutoff, and says so clearly where deletes are refused', async () => {
    const hash = newHash();
    expect((await send('PUT', hash, RW, randomBytes(100))).status).toBe(200);
    const client = createRegistryClient({ registry: proxy.host });
    fault = (req) => (req.method === 'DELETE' ? { status: 405 } : undefined);
    await expect(pruneEntries(client, 'cache-test/nx', Date.now() + 1000)).rejects.toThrow(
      /does not allow deletes .*storage\.delete\.enabled/,
    );
    fault = () => undefined;
    const kept = await pruneEntries(client, 'cache-test/nx', Date.now() - 3_600_000);
    expect(kept.deleted).toBe(0);
    const result = await pruneEntries(client, 'cache-test/nx', Date.now() + 1000);
    expect(result.deleted).toBe(result.entries);
    expect(result.deleted).toBeGreaterThan(3);
    expect((await send('GET', hash, RO)).status).toBe(404);
  });
});

describe.skipIf(!gate.ok && !gate.ci)('crossdock cache serve, a large entry', () => {
  it('streams a 384 MiB entry in and out without holding it in memory', async () => {
    const registry = await startRegistry();
    const server = await startCacheCli(
      join(__dirname, '../../../../..'),
      `${registry.host}/cache-big/nx`,
      {
        PATH: process.env.PATH ?? '',
        CROSSDOCK_CACHE_TOKEN: 'big',
      },
    );
    const peak = () =>
      Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]) *
      1024;
    try {
      const before = peak();
      const piece = randomBytes(1024 * 1024);
      const pieces = 384;
      const size = pieces * piece.byteLength;
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < pieces) controller.enqueue(new Uint8Array(piece));
          else controller.close();
        },
      });
      const put = await fetch(`${server.url}/v1/cache/big1`, {
        method: 'PUT',
        headers: { authorization: 'Bearer big', 'content-length': String(size) },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(put.status).toBe(200);
      const got = await fetch(`${server.url}/v1/cache/big1`, {
        headers: { authorization: 'Bearer big' },
      });
      expect(got.status).toBe(200);
      let received = 0;
      let same = true;
      for await (const chunk of got.body as unknown as AsyncIterable<Uint8Array>) {
        for (let i = 0; i < chunk.byteLength; i += 65536)
          same &&= chunk[i] === piece[(received + i) % piece.byteLength];
        received += chunk.byteLength;
      }
      expect(received).toBe(size);
      expect(same).toBe(true);
      // The entry passed through a spool file and 8 MiB chunks: the server's peak memory grew
      // by well under half of it (measured: ~130 MiB of garbage-collector slack for 192 and
      // for 512 MiB entries alike; holding the entry would need all of it).
      expect(peak() - before).toBeLessThan(size / 2);
    } finally {
      await server.stop();
      await registry.stop();
    }
  }, 300_000);
});

describe.skipIf(!gate.ok && !gate.ci)('crossdock cache serve, bad input', () => {
  const env = { PATH: process.env.PATH ?? '', CROSSDOCK_CACHE_TOKEN: 'x' };
  const cli = (args: readonly string[], extraEnv: Record<string, string> = env) =>
    execa('node', [CLI, 'cache', ...args], { env: extraEnv, extendEnv: false, reject: false });

  it.each([
    [['serve', '--listen', '127.0.0.1:0', '--store', 'nohost'], /names no registry host/],
    [
      ['serve', '--listen', '127.0.0.1:0', '--store', '127.0.0.1:5000/Bad Repo'],
      /--store: invalid/,
    ],
    [
      ['serve', '--listen', '127.0.0.1:0', '--store', '127.0.0.1:5000/a:tag'],
      /has a tag or digest/,
    ],
    [['serve', '--listen', 'nowhere', '--store', '127.0.0.1:5000/a'], /is not HOST:PORT/],
    [
      ['prune', '--store', '127.0.0.1:5000/a', '--older-than', 'soon'],
      /--older-than needs a positive number/,
    ],
  ])('%j fails with one line', async (args, message) => {
    const result = await cli(args);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.split('\n')[0]).toMatch(message);
  });

  it('refuses to start without a token', async () => {
    const result = await cli(['serve', '--listen', '127.0.0.1:0', '--store', '127.0.0.1:5000/a'], {
      PATH: env.PATH,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toMatch(/^crossdock cache: set CROSSDOCK_CACHE_TOKEN/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reports a port in use in one line', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await cli([
        'serve',
        '--listen',
        `127.0.0.1:${port}`,
        '--store',
        '127.0.0.1:5000/a',
      ]);
      expect(result.exitCode).toBe(1);
      expect(result.stderr.trim()).toBe(
        `crossdock cache: cannot listen on 127.0.0.1:${port}: the port is in use; pick another with --listen`,
      );
    } finally {
      blocker.close();
    }
  });
});
