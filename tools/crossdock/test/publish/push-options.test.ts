import { describe, expect, it } from 'vitest';
import { Annotation, emptyImage, withAnnotations } from '@crossdock/oci';
import { pushCredentials } from '../../src/publish/credentials/push-credentials';
import { dockerConfigPath } from '../../src/publish/credentials/docker-config';
import { baseInputs, BASE_DIGEST_COMMAND } from '../../src/nx/nodes/base-inputs';
import { OptionsError } from '../../src/options/options-error';
import { mountSources } from '../../src/publish/push/mount-sources';
import { parsePushFlags } from '../../src/publish/push/push-flags';
import { expandTags } from '../../src/publish/push/tags';

describe('expandTags', () => {
  it.each([
    [['latest', '{commit}'], { commit: 'a1b2c3d', version: '1.2.3' }, ['latest', 'a1b2c3d']],
    [
      ['v{version}', '{version}-{commit}', 'latest', 'latest'],
      { commit: 'a1b2c3d', version: '1.2.3' },
      ['v1.2.3', '1.2.3-a1b2c3d', 'latest'],
    ],
    [['{version}'], { version: '0.0.0-dev' }, ['0.0.0-dev']],
  ])('%j with %j gives %j', (templates, values, tags) => {
    expect(expandTags('hello', templates, values)).toEqual({ tags, skipped: [] });
  });

  it('skips {commit} outside git and says why', () => {
    expect(expandTags('hello', ['latest', '{commit}'], { version: '1' })).toEqual({
      tags: ['latest'],
      skipped: [{ template: '{commit}', reason: expect.stringContaining('no value here') }],
    });
  });

  it.each([
    ['{bogus}', /hello: option "tags" has the template "\{bogus\}": \{bogus\} is not a template/],
    [
      '-{version}',
      /hello: option "tags" has the template "-\{version\}": gives "-1\+build", not a valid tag/,
    ],
  ])('refuses %s', (template, message) => {
    expect(() => expandTags('hello', [template], { version: '1+build' })).toThrow(message);
  });
});

describe('parsePushFlags', () => {
  it('reads the flags', () => {
    expect(
      parsePushFlags('relay', {
        registry: '127.0.0.1:5000',
        username: 'ci',
        passwordEnv: 'REG_PASS',
        insecureRegistry: ['a.lan:5000,b.lan', 'c.lan'],
      }),
    ).toEqual({
      registry: '127.0.0.1:5000',
      username: 'ci',
      passwordEnv: 'REG_PASS',
      insecureRegistries: ['a.lan:5000', 'b.lan', 'c.lan'],
      byDigest: false,
      cell: false,
    });
    expect(
      parsePushFlags('relay', {
        registry: 'registry.example.com',
        platform: 'aarch64',
        byDigest: true,
      }),
    ).toMatchObject({
      platform: { os: 'linux', architecture: 'arm64' },
      byDigest: true,
    });
  });

  it.each([
    [
      {},
      /relay: option "registry" is required: give --registry=HOST\[:PORT\], set CROSSDOCK_REGISTRY/,
    ],
    [
      { registry: 'http://127.0.0.1:5000' },
      /"http:\/\/127.0.0.1:5000" is not a registry host\[:port\]/,
    ],
    [{ registry: 'myregistry' }, /"myregistry" is not a registry host\[:port\]/],
    [
      { registry: 'r.io', password: 'hunter2' },
      /option "password" is refused: .* --password-env=NAME/,
    ],
    [{ registry: 'r.io', byDigest: true }, /option "byDigest" needs --platform/],
    [{ registry: 'r.io', cell: true }, /option "cell" needs --by-digest and --platform/],
    [{ registry: 'r.io', platform: 'linux/arm64' }, /option "platform" is only for --by-digest/],
    [{ registry: 'r.io', platform: 'linux/sparc', byDigest: true }, /option "platform" is invalid/],
  ])('refuses %j', (raw, message) => {
    const error = (() => {
      try {
        parsePushFlags('relay', raw);
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error).toBeInstanceOf(OptionsError);
    expect(error!.message).toMatch(message);
    expect(error!.message).not.toContain('hunter2');
  });
});

describe('pushCredentials', () => {
  const docker = {
    find: async () => ({
      credentials: { username: 'from-docker', password: 'p' },
      source: 'auths in config.json',
    }),
  };

  it('uses the Docker config without explicit credentials', async () => {
    expect(await pushCredentials('relay', {}, {}, docker).find('r.io')).toMatchObject({
      source: 'auths in config.json',
    });
  });

  it('takes the password from the variable named by --password-env, and names only the variable', async () => {
    const found = await pushCredentials(
      'relay',
      { username: 'ci', passwordEnv: 'REG_PASS' },
      { REG_PASS: 's3cret' },
      docker,
    ).find('r.io');
    expect(found?.credentials).toEqual({ username: 'ci', password: 's3cret' });
    expect(found?.source).toBe('--username ci with the password from $REG_PASS');
  });

  it.each([
    [{ username: 'ci' }, {}, /--username=ci needs --password-env=NAME/],
    [
      { passwordEnv: 'REG_PASS' },
      { REG_PASS: 's3cret' },
      /--password-env=REG_PASS needs --username/,
    ],
    [
      { username: 'ci', passwordEnv: 'REG_PASS' },
      {},
      /the environment variable REG_PASS \(named by --password-env\) is not set/,
    ],
  ])('refuses %j', (explicit, env, message) => {
    expect(() => pushCredentials('relay', explicit, env, docker)).toThrow(message);
  });
});

describe('dockerConfigPath', () => {
  it('prefers $DOCKER_CONFIG, as docker does', () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/etc/ci-docker' }, '/home/u')).toBe(
      '/etc/ci-docker/config.json',
    );
    expect(dockerConfigPath({}, '/home/u')).toBe('/home/u/.docker/config.json');
  });
});

describe('mountSources', () => {
  const image = (baseName?: string) =>
    withAnnotations(
      emptyImage({ os: 'linux', architecture: 'amd64' }),
      baseName ? { [Annotation.baseName]: baseName } : {},
    );

  it('names base repositories on the same registry only', () => {
    const images = [
      image('127.0.0.1:5000/busybox:latest'),
      image('127.0.0.1:5000/busybox:latest'),
      image('127.0.0.1:5000/team/base@sha256:' + 'a'.repeat(64)),
    ];
    expect(mountSources(images, '127.0.0.1:5000')).toEqual(['busybox', 'team/base']);
    expect(mountSources(images, '127.0.0.1:6000')).toEqual([]);
    expect(
      mountSources([image(), image('scratch'), image('oci:/var/cache/base')], '127.0.0.1:5000'),
    ).toEqual([]);
  });
});

describe('baseInputs', () => {
  it('hashes a registry base by its current digest and a layout by its index.json', () => {
    expect(
      baseInputs([
        'scratch',
        '127.0.0.1:5000/busybox:latest',
        '127.0.0.1:5000/busybox:latest',
        'oci:bases/busybox',
        "oci:/var/cache/it's here",
        'oci:../outside',
      ]),
    ).toEqual({
      inputs: [
        { runtime: `${BASE_DIGEST_COMMAND} 127.0.0.1:5000/busybox:latest` },
        '{workspaceRoot}/bases/busybox/index.json',
        { runtime: `${BASE_DIGEST_COMMAND} 'oci:/var/cache/it'\\''s here'` },
        { runtime: `${BASE_DIGEST_COMMAND} oci:../outside` },
      ],
      printsGzip: false,
    });
  });

  it('with gzip, the first base-digest command prints the zlib build too; none without one', () => {
    expect(
      baseInputs(['oci:bases/busybox', '127.0.0.1:5000/a:1', '127.0.0.1:5000/b:2'], { gzip: true }),
    ).toEqual({
      inputs: [
        '{workspaceRoot}/bases/busybox/index.json',
        { runtime: `${BASE_DIGEST_COMMAND} --gzip 127.0.0.1:5000/a:1` },
        { runtime: `${BASE_DIGEST_COMMAND} 127.0.0.1:5000/b:2` },
      ],
      printsGzip: true,
    });
    expect(baseInputs(['scratch', 'oci:bases/busybox'], { gzip: true }).printsGzip).toBe(false);
  });
});
