import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../../test-support/src/registry/fault-proxy';
import { RunningRegistry, startRegistry } from '../../test-support/src/registry/start-registry';
import { MediaType } from '@crossdock/oci';
import {
  createRegistryClient,
  loadDockerCredentials,
  RegistryClientOptions,
  RegistryError,
  RegistryEvent,
} from '../src';
import { buildTestImage, bytesBlob, TestImage } from './fixtures';
import { requireTools } from './gate';

// Distinctive secrets: no error message, event or log line may ever contain them.
const PASSWORD = 'Pa55-Distinctive-7f3e9a';
const WRONG_PASSWORD = 'Wr0ng-Distinctive-c41d2b';
const IDENTITY_TOKEN = 'identity-Distinctive-9b8c7d';
const FAKE_TOKEN = 'bearer-Distinctive-55aa11';
const SECRETS = [
  PASSWORD,
  WRONG_PASSWORD,
  IDENTITY_TOKEN,
  FAKE_TOKEN,
  Buffer.from(`alice:${PASSWORD}`).toString('base64'),
  Buffer.from(`alice:${WRONG_PASSWORD}`).toString('base64'),
];

/** Everything an error shows: message, fields, cause chain. */
function exposed(error: unknown): string {
  const parts: string[] = [];
  for (
    let e: unknown = error;
    e !== undefined && e !== null;
    e = (e as { cause?: unknown }).cause
  ) {
    parts.push(String(e), JSON.stringify(e), (e as Error).stack ?? '');
  }
  return parts.join('\n');
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistryError);
  expectNoSecret(exposed(error));
  return error as RegistryError;
}

const users = [{ username: 'alice', password: PASSWORD }];

describe('registry client: refusing plain HTTP', () => {
  it('refuses Basic credentials over plain HTTP to a non-loopback host before connecting', async () => {
    const events: RegistryEvent[] = [];
    let error: unknown;
    try {
      createRegistryClient({
        registry: 'http://registry.example.invalid',
        credentials: { username: 'alice', password: PASSWORD },
        log: (e) => events.push(e),
      });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'INSECURE_TRANSPORT',
      registry: 'registry.example.invalid',
    });
    expect((error as Error).message).toMatch(
      /refusing to send credentials over plain HTTP to registry\.example\.invalid.*insecure/,
    );
    expectNoSecret(exposed(error));
    expect(events).toEqual([]);
  });

  it('uses HTTPS for a non-loopback host unless it is listed insecure', () => {
    expect(() => createRegistryClient({ registry: 'registry.example.invalid:5000' })).not.toThrow();
    expect(() =>
      createRegistryClient({
        registry: 'http://registry.example.invalid:5000',
        insecure: ['registry.example.invalid:5000'],
      }),
    ).not.toThrow();
    expect(() =>
      createRegistryClient({ registry: 'http://registry.example.invalid:5000' }),
    ).toThrow(RegistryError);
  });
});

describe('registry client: Basic auth (htpasswd)', () => {
  if (!requireTools('registry Basic auth tests', ['docker-registry', 'htpasswd', 'tar'])) return;
  let registry: RunningRegistry;
  let image: TestImage;
  let dir: string;
  const client = (extra: Partial<RegistryClientOptions>) =>
    createRegistryClient({
      registry: registry.host,
      retry: { initialDelayMs: 10, maxAttempts: 2 },
      ...extra,
    });

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'basic', users });
    image = await buildTestImage({ basic: 'basic auth\n' });
    dir = await mkdtemp(join(tmpdir(), 'crossdock-auth-'));
  });
  afterAll(async () => {
    await registry?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('pushes and pulls with the right password, logging no secret', async () => {
    const events: RegistryEvent[] = [];
    const c = client({
      credentials: { username: 'alice', password: PASSWORD },
      log: (e) => events.push(e),
    });
    await c.ping();
    expect(await c.pushBlob('basic/app', image.layer)).toBe('uploaded');
    await c.pushBlob('basic/app', image.config);
    await c.pushManifest('basic/app', 'v1', image.manifest.bytes, MediaType.ociManifest);
    expect((await c.getManifest('basic/app', 'v1')).digest).toBe(image.manifest.descriptor.digest);
    expect(events.some((e) => e.type === 'auth' && e.scheme === 'basic')).toBe(true);
    expectNoSecret(JSON.stringify(events));
    const log = await registry.log();
    expect(log).toContain('"GET /v2/ HTTP/1.1" 200'); // the access log is there, and has no secret
    expectNoSecret(log);
  });

  it('fails with UNAUTHORIZED and no password in the message for a wrong password', async () => {
    const events: RegistryEvent[] = [];
    const error = await failure(
      client({
        credentials: { username: 'alice', password: WRONG_PASSWORD },
        log: (e) => events.push(e),
      }).ping(),
    );
    expect(error).toMatchObject({
      code: 'UNAUTHORIZED',
      status: 401,
      retryable: false,
      method: 'GET',
      path: '/v2/',
    });
    expect(error.message).toContain('refused the credentials from the credentials option');
    expectNoSecret(JSON.stringify(events));
  });

  it('fails with UNAUTHORIZED and a hint when no credentials are given', async () => {
    const error = await failure(client({}).blobExists('basic/app', image.layer.descriptor.digest));
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(error.message).toContain('no credentials were found');
  });

  it('reads credentials from a Docker config file (base64 auth)', async () => {
    const configPath = join(dir, 'auths.json');
    await writeFile(
      configPath,
      JSON.stringify({
        auths: {
          [`http://${registry.host}`]: {
            auth: Buffer.from(`alice:${PASSWORD}`).toString('base64'),
          },
        },
      }),
    );
    const c = client({ credentials: await loadDockerCredentials({ configPath }) });
    expect(await c.blobExists('basic/app', image.layer.descriptor.digest)).toBe(true);
  });

  it('reads credentials from a docker-credential helper named in credHelpers', async () => {
    const helperDir = join(dir, 'bin');
    const seenPath = join(dir, 'helper-stdin');
    await mkdir(helperDir, { recursive: true });
    const helper = join(helperDir, 'docker-credential-crossdocktest');
    await writeFile(
      helper,
      [
        '#!/bin/sh',
        'server=$(cat)',
        `printf '%s %s' "$1" "$server" > '${seenPath}'`,
        `if [ "$1" = get ] && [ "$server" = '${registry.host}' ]; then`,
        `  printf '{"ServerURL":"%s","Username":"alice","Secret":"${PASSWORD}"}' "$server"`,
        'else',
        '  echo "credentials not found in native keychain"; exit 1',
        'fi',
        '',
      ].join('\n'),
    );
    await chmod(helper, 0o755);
    const configPath = join(dir, 'helpers.json');
    await writeFile(
      configPath,
      JSON.stringify({
        auths: { [registry.host]: {} },
        credHelpers: { [registry.host]: 'crossdocktest', 'other.example': 'crossdocktest' },
      }),
    );
    const store = await loadDockerCredentials({ configPath, helperDirectories: [helperDir] });
    const c = client({ credentials: store });
    expect(await c.blobExists('basic/app', image.layer.descriptor.digest)).toBe(true);
    expect(await readFile(seenPath, 'utf8')).toBe(`get ${registry.host}`);
    expect(await store.find('other.example')).toBeUndefined();
    const found = await store.find(registry.host);
    expect(found?.source).toBe(`docker-credential-crossdocktest (credHelpers in ${configPath})`);
  });
});

describe('registry client: Bearer tokens', () => {
  if (!requireTools('registry Bearer token tests', ['docker-registry', 'openssl', 'tar'])) return;
  let registry: RunningRegistry;
  let image: TestImage;
  let dir: string;
  const client = (extra: Partial<RegistryClientOptions>) =>
    createRegistryClient({
      registry: registry.host,
      retry: { initialDelayMs: 10, maxAttempts: 2 },
      ...extra,
    });

  beforeAll(async () => {
    registry = await startRegistry({
      auth: 'token',
      users,
      token: { refreshTokens: { [IDENTITY_TOKEN]: 'alice' } },
    });
    image = await buildTestImage({ token: 'bearer auth\n' });
    dir = await mkdtemp(join(tmpdir(), 'crossdock-token-test-'));
  });
  afterAll(async () => {
    await registry?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const tokenRequests = () => registry.tokenServer?.requests() ?? [];

  it('gets tokens for exactly the scopes each operation needs, and caches them', async () => {
    const before = tokenRequests().length;
    const events: RegistryEvent[] = [];
    const c = client({
      credentials: { username: 'alice', password: PASSWORD },
      log: (e) => events.push(e),
    });
    await c.ping();
    expect(await c.pushBlob('tok/app', image.layer)).toBe('uploaded');
    expect(await c.pushBlob('tok/app', image.config)).toBe('uploaded');
    await c.pushManifest('tok/app', 'v1', image.manifest.bytes, MediaType.ociManifest);
    expect((await c.getManifest('tok/app', 'v1')).digest).toBe(image.manifest.descriptor.digest);
    expect(await c.getBlob('tok/app', image.layer.descriptor)).toHaveLength(
      image.layer.descriptor.size,
    );

    const made = tokenRequests().slice(before);
    expect(made.map((r) => [r.account, r.scopes, r.status])).toEqual([
      ['alice', [], 200],
      ['alice', ['repository:tok/app:pull,push'], 200],
      ['alice', ['repository:tok/app:pull'], 200],
    ]);
    expect(made.every((r) => r.service === registry.tokenServer?.service)).toBe(true);
    expect(c.stats().requests.token).toBe(3);
    expect(events.filter((e) => e.type === 'auth' && e.cached).length).toBeGreaterThan(3);
    expectNoSecret(JSON.stringify(events));
  });

  it('shares one token request between concurrent pushes', async () => {
    const c = client({ credentials: { username: 'alice', password: PASSWORD } });
    const blobs = [1, 2, 3, 4, 5].map((i) =>
      bytesBlob(Buffer.from(`parallel blob ${i}\n`), MediaType.ociLayerTar),
    );
    const before = tokenRequests().length;
    expect(await Promise.all(blobs.map((b) => c.pushBlob('tok/parallel', b)))).toEqual([
      'uploaded',
      'uploaded',
      'uploaded',
      'uploaded',
      'uploaded',
    ]);
    expect(
      tokenRequests()
        .slice(before)
        .map((r) => r.scopes),
    ).toEqual([['repository:tok/parallel:pull,push']]);
  });

  it('asks for pull on the source repository when mounting', async () => {
    const c = client({ credentials: { username: 'alice', password: PASSWORD } });
    const blob = bytesBlob(Buffer.from('mount me with a token\n'), MediaType.ociLayerTar);
    await c.pushBlob('tok/source', blob);
    const before = tokenRequests().length;
    expect(await c.pushBlob('tok/target', blob, { mountFrom: ['tok/source'] })).toBe('mounted');
    expect(
      tokenRequests()
        .slice(before)
        .map((r) => r.scopes),
    ).toEqual([['repository:tok/target:pull,push', 'repository:tok/source:pull']]);
  });

  it('exchanges an identity token from the Docker config at the token endpoint (OAuth2 refresh_token)', async () => {
    const configPath = join(dir, 'config.json');
    await writeFile(
      configPath,
      JSON.stringify({ auths: { [registry.host]: { identitytoken: IDENTITY_TOKEN } } }),
    );
    const events: RegistryEvent[] = [];
    const c = client({
      credentials: await loadDockerCredentials({ configPath }),
      log: (e) => events.push(e),
    });
    const before = tokenRequests().length;
    expect(await c.blobExists('tok/app', image.layer.descriptor.digest)).toBe(true);
    expect(
      tokenRequests()
        .slice(before)
        .map((r) => [r.method, r.account, r.scopes]),
    ).toEqual([['POST', 'alice', ['repository:tok/app:pull']]]);
    expectNoSecret(JSON.stringify(events));
  });

  it('fails with UNAUTHORIZED, without the password, when the token service refuses the credentials', async () => {
    const error = await failure(
      client({ credentials: { username: 'alice', password: WRONG_PASSWORD } }).blobExists(
        'tok/app',
        image.layer.descriptor.digest,
      ),
    );
    expect(error).toMatchObject({
      code: 'UNAUTHORIZED',
      status: 401,
      method: 'GET',
      path: '/token',
    });
    expect(error.message).toContain('refused the credentials from the credentials option');
  });

  it('fails with UNAUTHORIZED when an anonymous token grants nothing', async () => {
    const error = await failure(client({}).blobExists('tok/app', image.layer.descriptor.digest));
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401, method: 'HEAD' });
  });

  it('sends a ready-made token as is, and never shows it', async () => {
    const response = await fetch(
      `${registry.tokenServer?.realm}?service=${registry.tokenServer?.service}&scope=repository:tok/app:pull`,
      {
        headers: { authorization: `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}` },
      },
    );
    const { token } = (await response.json()) as { token: string };
    expect(
      await client({ credentials: { token } }).blobExists('tok/app', image.layer.descriptor.digest),
    ).toBe(true);
    const error = await failure(
      client({ credentials: { token: FAKE_TOKEN } }).blobExists(
        'tok/app',
        image.layer.descriptor.digest,
      ),
    );
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
  });

  it('refuses to send credentials to a plain-HTTP token realm on a non-loopback host', async () => {
    const proxy = await startFaultProxy(registry.host, ({ path }) =>
      path === '/v2/'
        ? {
            status: 401,
            headers: {
              'www-authenticate': 'Bearer realm="http://auth.example.invalid/token",service="x"',
            },
          }
        : undefined,
    );
    try {
      const error = await failure(
        createRegistryClient({
          registry: proxy.host,
          credentials: { username: 'alice', password: PASSWORD },
        }).ping(),
      );
      expect(error).toMatchObject({
        code: 'INSECURE_TRANSPORT',
        registry: 'auth.example.invalid',
        retryable: false,
      });
    } finally {
      await proxy.stop();
    }
  });
});
