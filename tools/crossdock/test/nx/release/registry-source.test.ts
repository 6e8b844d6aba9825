import { describe, expect, it } from 'vitest';
import { chooseRegistry } from '../../../src/publish/push/registry-source';
import { readPushTargetOptions } from '../../../src/publish/push/push-target-options';
import { parsePushFlags } from '../../../src/publish/push/push-flags';

describe('chooseRegistry: the flag, then CROSSDOCK_REGISTRY, then the registry option', () => {
  it.each([
    ['flag.example:1', 'env.example:2', 'option.example:3', 'flag.example:1'],
    [undefined, 'env.example:2', 'option.example:3', 'env.example:2'],
    [undefined, undefined, 'option.example:3', 'option.example:3'],
    ['', '', 'option.example:3', 'option.example:3'],
    [undefined, undefined, undefined, undefined],
  ])('flag %s, env %s, option %s → %s', (flag, env, option, expected) => {
    expect(
      chooseRegistry(flag, {
        env: { CROSSDOCK_REGISTRY: env },
        ...(option !== undefined ? { option } : {}),
      }),
    ).toBe(expected);
  });
});

describe('readPushTargetOptions', () => {
  const configured = { registry: 'option.example:3', tags: ['latest'] };

  it('reads a registry equal to the configured one as the option, which CROSSDOCK_REGISTRY overrides', () => {
    const { flags } = readPushTargetOptions('demo', configured, {
      env: { CROSSDOCK_REGISTRY: 'env.example:2' },
      configured,
    });
    expect(flags.registry).toBe('env.example:2');
  });

  it('reads a registry the command line changed as the flag, which wins', () => {
    const { flags } = readPushTargetOptions(
      'demo',
      { ...configured, registry: 'flag.example:1' },
      { env: { CROSSDOCK_REGISTRY: 'env.example:2' }, configured },
    );
    expect(flags.registry).toBe('flag.example:1');
  });

  it('falls back to the option', () => {
    const { flags } = readPushTargetOptions('demo', configured, { env: {}, configured });
    expect(flags.registry).toBe('option.example:3');
  });

  it('names all three sources when none gives a registry', () => {
    expect(() => parsePushFlags('demo', {}, { env: {} })).toThrow(
      /demo: option "registry" is required: give --registry=HOST\[:PORT\], set CROSSDOCK_REGISTRY or the registry option/,
    );
  });

  it('checks a registry from the environment like a flag', () => {
    expect(() =>
      parsePushFlags('demo', {}, { env: { CROSSDOCK_REGISTRY: 'https://r.example/x' } }),
    ).toThrow(/"https:\/\/r.example\/x" is not a registry host\[:port\]/);
  });
});
