import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRegistryClient,
  HelperRunner,
  isLoopbackHost,
  isPlainHttpAllowed,
  loadDockerCredentials,
  RegistryError,
} from '../src';
import { parseHelperOutput } from '../src/credential-helper';
import { credentialKey } from '../src/credentials';
import { parseDockerConfig } from '../src/docker-config';
import { assertTransportAllowed, resolveEndpoint } from '../src/endpoint';
import { normalizeClientOptions } from '../src/options';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('endpoints and plain HTTP', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.0.0.1:5000', true],
    ['127.255.3.4:80', true],
    ['localhost:5000', true],
    ['LOCALHOST', true],
    ['[::1]:5000', true],
    ['::1', true],
    ['128.0.0.1', false],
    ['127.0.0.256', false],
    ['localhost.example.com', false],
    ['10.0.0.1:5000', false],
    ['registry.example.invalid', false],
  ])('isLoopbackHost(%s) = %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it.each([
    ['reg.lan:5000', ['reg.lan:5000'], true],
    ['reg.lan:5000', ['reg.lan'], true],
    ['reg.lan:5000', ['http://reg.lan:5000/'], true],
    ['reg.lan:5000', ['reg.lan:5001'], false],
    ['reg.lan', [], false],
  ])('isPlainHttpAllowed(%s, %j) = %s', (host, insecure, expected) => {
    expect(isPlainHttpAllowed(host, insecure)).toBe(expected);
  });

  it.each([
    ['127.0.0.1:5000', [], { registry: '127.0.0.1:5000', baseUrl: 'http://127.0.0.1:5000' }],
    ['localhost', [], { registry: 'localhost', baseUrl: 'http://localhost' }],
    ['ghcr.io', [], { registry: 'ghcr.io', baseUrl: 'https://ghcr.io' }],
    ['docker.io', [], { registry: 'docker.io', baseUrl: 'https://registry-1.docker.io' }],
    [
      'reg.lan:5000',
      ['reg.lan:5000'],
      { registry: 'reg.lan:5000', baseUrl: 'http://reg.lan:5000' },
    ],
    [
      'https://127.0.0.1:5000/',
      [],
      { registry: '127.0.0.1:5000', baseUrl: 'https://127.0.0.1:5000' },
    ],
  ])('resolves %s (insecure %j)', (registry, insecure, expected) => {
    expect(resolveEndpoint(registry, insecure)).toEqual(expected);
  });

  it.each([
    [
      'http://reg.example.invalid/token',
      [],
      true,
      /refusing to send credentials over plain HTTP to reg\.example\.invalid\/token/,
    ],
    ['http://reg.example.invalid/v2/', [], false, /refusing to use plain HTTP/],
    ['ftp://reg.example.invalid/', [], false, /unsupported URL scheme/],
  ])('refuses %s', (url, insecure, withCredentials, message) => {
    expect(() => assertTransportAllowed(new URL(url), insecure, withCredentials)).toThrow(message);
  });

  it.each([['https://reg.example.invalid/'], ['http://127.0.0.1:9/'], ['http://[::1]:9/']])(
    'allows %s',
    (url) => {
      expect(() => assertTransportAllowed(new URL(url), [], true)).not.toThrow();
    },
  );
});

describe('client options', () => {
  it('fills in defaults', () => {
    const options = normalizeClientOptions({
      registry: '127.0.0.1:5000',
      upload: { chunkThreshold: 10 },
    });
    expect(options).toMatchObject({
      insecure: [],
      upload: { chunkThreshold: 10, chunkSize: 16 * 1024 * 1024 },
      retry: { maxAttempts: 5 },
      userAgent: 'crossdock',
    });
  });

  it.each([
    [
      { registry: 'r', registy: 'typo' },
      /unknown registry client options: registy; valid: registry, credentials/,
    ],
    [{ registry: 'r', retry: { attempts: 3 } }, /unknown retry options: attempts/],
    [{ registry: 'r', upload: { chunk: 1 } }, /unknown upload options: chunk/],
    [
      { registry: 'r', retry: { maxAttempts: 0 } },
      /retry.maxAttempts is 0; expected a positive integer/,
    ],
    [{ registry: 'r', upload: { chunkSize: 0 } }, /upload.chunkSize is 0/],
    [{ registry: '' }, /option registry is ""/],
  ])('rejects %j', (options, message) => {
    expect(() => normalizeClientOptions(options as never)).toThrow(message);
    expect(() => createRegistryClient(options as never)).toThrow(RegistryError);
  });
});

describe('Docker config credentials', () => {
  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['http://127.0.0.1:5000', '127.0.0.1:5000'],
    ['GHCR.io/v2/', 'ghcr.io'],
  ])('keys %s as %s', (server, key) => {
    expect(credentialKey(server)).toBe(key);
  });

  it('reads auths, credHelpers and credsStore', () => {
    const config = parseDockerConfig(
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth: b64('hub:pw:with:colons') },
          'reg.lan:5000': { username: 'u', password: 'p' },
          'ghcr.io': { identitytoken: 'idt', auth: b64('me:ignored') },
          'tok.example': { registrytoken: 'rt' },
          'stored.example': {},
        },
        credHelpers: { 'gcr.io': 'gcloud' },
        credsStore: 'pass',
      }),
      '/cfg.json',
    );
    expect(config).toEqual({
      auths: {
        'docker.io': { username: 'hub', password: 'pw:with:colons' },
        'reg.lan:5000': { username: 'u', password: 'p' },
        'ghcr.io': { identityToken: 'idt', username: 'me' },
        'tok.example': { token: 'rt' },
      },
      credHelpers: { 'gcr.io': 'gcloud' },
      credsStore: 'pass',
    });
  });

  it.each([
    ['not json', /\/cfg.json is not valid JSON/],
    [
      JSON.stringify({ auths: { 'r.io': { auth: b64('no-colon-Secret123') } } }),
      /auths\["r.io"\].auth in \/cfg.json is not base64 of "user:password"/,
    ],
  ])('rejects %j without quoting secrets', (text, message) => {
    let error: unknown;
    try {
      parseDockerConfig(text, '/cfg.json');
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('Secret123');
  });

  it.each([
    ['{"ServerURL":"r","Username":"u","Secret":"s"}', { username: 'u', password: 's' }],
    ['{"ServerURL":"r","Username":"<token>","Secret":"refresh"}', { identityToken: 'refresh' }],
    ['{"ServerURL":"r","Username":"u","Secret":""}', undefined],
  ])('parses helper output %j', (stdout, expected) => {
    expect(parseHelperOutput('docker-credential-x', 'r', stdout)).toEqual(expected);
  });

  describe('loadDockerCredentials', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'crossdock-dockercfg-'));
    });
    afterAll(async () => rm(dir, { recursive: true, force: true }));

    it('is an empty store when the file does not exist', async () => {
      const store = await loadDockerCredentials({ configPath: join(dir, 'missing.json') });
      expect(await store.find('docker.io')).toBeUndefined();
    });

    it('asks credsStore first and falls back to auths when the store has nothing', async () => {
      const configPath = join(dir, 'store.json');
      await writeFile(
        configPath,
        JSON.stringify({
          credsStore: 'teststore',
          auths: { 'a.example': { auth: b64('a:pa') }, 'b.example': { auth: b64('b:pb') } },
        }),
      );
      const calls: [string, readonly string[], string][] = [];
      const runHelper: HelperRunner = async (program, args, input) => {
        calls.push([program, args, input]);
        return input === 'a.example'
          ? { exitCode: 0, stdout: '{"Username":"store","Secret":"from-store"}', stderr: '' }
          : { exitCode: 1, stdout: 'credentials not found in native keychain\n', stderr: '' };
      };
      const store = await loadDockerCredentials({ configPath, runHelper });
      expect(await store.find('a.example')).toEqual({
        credentials: { username: 'store', password: 'from-store' },
        source: `docker-credential-teststore (credsStore in ${configPath})`,
      });
      expect(await store.find('b.example')).toEqual({
        credentials: { username: 'b', password: 'pb' },
        source: `auths in ${configPath}`,
      });
      expect(await store.find('docker.io')).toBeUndefined();
      expect(calls).toEqual([
        ['docker-credential-teststore', ['get'], 'a.example'],
        ['docker-credential-teststore', ['get'], 'b.example'],
        ['docker-credential-teststore', ['get'], 'https://index.docker.io/v1/'],
      ]);
    });

    it('reports a failing helper with its stderr, not its stdout', async () => {
      const configPath = join(dir, 'failing.json');
      await writeFile(configPath, JSON.stringify({ credHelpers: { 'r.example': 'broken' } }));
      const runHelper: HelperRunner = async () => ({
        exitCode: 3,
        stdout: 'Secret-in-stdout',
        stderr: 'keychain locked',
      });
      const store = await loadDockerCredentials({ configPath, runHelper });
      const error = await store.find('r.example').catch((e: unknown) => e);
      expect((error as Error).message).toBe(
        'credential helper docker-credential-broken failed for r.example with exit code 3: keychain locked',
      );
    });

    it('rejects helper names that are not plain names, and unknown options', async () => {
      const configPath = join(dir, 'evil.json');
      await writeFile(configPath, JSON.stringify({ credsStore: '../../bin/sh' }));
      const store = await loadDockerCredentials({ configPath });
      await expect(store.find('r.example')).rejects.toThrow(
        /credential helper name "..\/..\/bin\/sh" is invalid/,
      );
      await expect(loadDockerCredentials({ configPath, path: 'x' } as never)).rejects.toThrow(
        /unknown option\(s\) path/,
      );
    });
  });
});
