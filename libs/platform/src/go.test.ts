import { describe, expect, it } from 'vitest';
import { PlatformError } from './errors';
import { goEnv } from './go';
import { parsePlatform } from './parse';

describe('goEnv', () => {
  it.each([
    ['linux/amd64', { GOOS: 'linux', GOARCH: 'amd64', GOAMD64: 'v1', CGO_ENABLED: '0' }],
    ['linux/amd64/v2', { GOOS: 'linux', GOARCH: 'amd64', GOAMD64: 'v2', CGO_ENABLED: '0' }],
    ['linux/amd64/v3', { GOOS: 'linux', GOARCH: 'amd64', GOAMD64: 'v3', CGO_ENABLED: '0' }],
    ['linux/amd64/v4', { GOOS: 'linux', GOARCH: 'amd64', GOAMD64: 'v4', CGO_ENABLED: '0' }],
    ['linux/arm64', { GOOS: 'linux', GOARCH: 'arm64', GOARM64: 'v8.0', CGO_ENABLED: '0' }],
    ['linux/arm/v5', { GOOS: 'linux', GOARCH: 'arm', GOARM: '5', CGO_ENABLED: '0' }],
    ['linux/arm/v6', { GOOS: 'linux', GOARCH: 'arm', GOARM: '6', CGO_ENABLED: '0' }],
    ['linux/arm/v7', { GOOS: 'linux', GOARCH: 'arm', GOARM: '7', CGO_ENABLED: '0' }],
    ['linux/386', { GOOS: 'linux', GOARCH: '386', GO386: 'sse2', CGO_ENABLED: '0' }],
    ['linux/ppc64le', { GOOS: 'linux', GOARCH: 'ppc64le', GOPPC64: 'power8', CGO_ENABLED: '0' }],
    ['linux/s390x', { GOOS: 'linux', GOARCH: 's390x', CGO_ENABLED: '0' }],
    [
      'linux/riscv64',
      { GOOS: 'linux', GOARCH: 'riscv64', GORISCV64: 'rva20u64', CGO_ENABLED: '0' },
    ],
    [
      'linux/mips64le',
      { GOOS: 'linux', GOARCH: 'mips64le', GOMIPS64: 'hardfloat', CGO_ENABLED: '0' },
    ],
    ['linux/loong64', { GOOS: 'linux', GOARCH: 'loong64', CGO_ENABLED: '0' }],
  ])('%s → %j', (platform, expected) => {
    const env = goEnv(parsePlatform(platform));
    expect(env).toStrictEqual(expected);
    expect(Object.isFrozen(env)).toBe(true);
  });

  it.each([
    [{ cgo: true }, '1'],
    [{ cgo: false }, '0'],
    [{}, '0'],
    [undefined, '0'],
  ])('options %j → CGO_ENABLED=%s', (options, expected) => {
    expect(goEnv(parsePlatform('linux/arm64'), options).CGO_ENABLED).toBe(expected);
  });

  it('normalises a hand-made platform and refuses one crossdock cannot build', () => {
    expect(goEnv({ os: 'linux', architecture: 'arm' }).GOARM).toBe('7');
    expect(() => goEnv({ os: 'linux', architecture: 'arm', variant: 'v8' })).toThrow(PlatformError);
    expect(() => goEnv({ os: 'darwin', architecture: 'arm64' })).toThrow(/linux-only/);
  });
});
