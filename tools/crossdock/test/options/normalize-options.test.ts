import { describe, expect, it } from 'vitest';
import { normalizeOptions } from '../../src/options/normalize-options';
import { OptionsError } from '../../src/options/options-error';

const layer = (values: Record<string, unknown>, source = 'apps/x/project.json') => ({
  source,
  values,
});

describe('normalizeOptions', () => {
  it('fills defaults and derives binary and repository from the project name', () => {
    const options = normalizeOptions('hello', []);
    expect(options.binary).toBe('hello');
    expect(options.repository).toBe('hello');
    expect(options.platforms.map((p) => `${p.os}/${p.architecture}`)).toEqual([
      'linux/amd64',
      'linux/arm64',
    ]);
    expect(options.user).toBe('65532:65532');
    expect(options.engine).toBe('builtin');
    expect(options.sbomFormat).toBe('spdx');
    expect(options.compressionLevel).toBe(1);
    expect(options.signKey).toBe('');
    expect(Object.isFrozen(options)).toBe(true);
  });

  it('lets later layers win key by key and normalises platform aliases', () => {
    const options = normalizeOptions('hello', [
      layer({ platforms: ['linux/amd64'], version: '1' }, 'nx.json'),
      layer({ platforms: ['aarch64', 'armhf'] }),
    ]);
    expect(options.platforms).toEqual([
      { os: 'linux', architecture: 'arm64' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ]);
    expect(options.version).toBe('1');
  });

  it('does not change its arguments', () => {
    const values = { platforms: ['linux/arm64'], env: { A: '1' } };
    const copy = structuredClone(values);
    normalizeOptions('p', [layer(values)]);
    expect(values).toEqual(copy);
  });

  it.each([
    [{ platfroms: ['linux/amd64'] }, 'platfroms', 'is not a crossdock option'],
    [{ platforms: ['linux/amd64', 'x86_64'] }, 'platforms', 'both mean linux/amd64'],
    [{ platforms: [] }, 'platforms', 'is invalid'],
    [{ platforms: ['linux/sparc'] }, 'platforms', 'sparc'],
    [{ platforms: 'linux/amd64' }, 'platforms', 'must be a list of strings'],
    [{ engine: 'podman' }, 'engine', 'one of builtin, docker'],
    [{ binary: '../evil' }, 'binary', 'is not a file name'],
    [{ env: { A: 1 } }, 'env', 'an object of string values'],
    [{ ports: [70000] }, 'ports', 'not a port number'],
    [{ workdir: 'relative' }, 'workdir', 'absolute path'],
    [{ smokeExpect: '(' }, 'smokeExpect', 'not a regular expression'],
    [{ cgo: 'yes' }, 'cgo', 'true or false'],
    [{ sbomFormat: 'swid' }, 'sbomFormat', 'one of spdx, cyclonedx, both'],
    [{ compressionLevel: 10 }, 'compressionLevel', 'not a gzip level 0-9'],
    [{ compressionLevel: 1.5 }, 'compressionLevel', 'not a gzip level 0-9'],
    [{ compressionLevel: '9' }, 'compressionLevel', 'must be a number'],
    [
      { signKey: 'keyless' },
      'signKey',
      'keyless signing (Fulcio certificates, Rekor log) and KMS key URIs are not supported yet',
    ],
    [{ signKey: 'awskms:///alias/release' }, 'signKey', 'not supported yet'],
    [{ signKey: 42 }, 'signKey', 'must be a string'],
  ])('rejects %j naming the option', (values, option, fragment) => {
    let error: unknown;
    try {
      normalizeOptions('hello', [layer(values)]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OptionsError);
    expect((error as OptionsError).option).toBe(option);
    expect((error as Error).message).toMatch(/^hello: option/);
    expect((error as Error).message.toLowerCase()).toContain(fragment.toLowerCase());
  });

  it('names the source of an unknown key', () => {
    expect(() =>
      normalizeOptions('hello', [layer({ bogus: 1 }, 'nx.json (plugin options)')]),
    ).toThrow(/"bogus" in nx.json \(plugin options\) is not a crossdock option/);
  });
});
