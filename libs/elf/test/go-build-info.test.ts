import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { ElfFormatError, readGoBuildInfo } from '../src';
import type { ElfFixtures } from './fixtures';
import { fixtureSupport } from './support';

const support = fixtureSupport();

describe.skipIf(!support.available)('Go build info read from real binaries', () => {
  let fixtures: ElfFixtures;
  beforeAll(async () => {
    fixtures = await support.build();
  });

  it.each([
    ['go-linux-amd64', { GOOS: 'linux', GOARCH: 'amd64', GOAMD64: 'v1' }],
    ['go-linux-arm64', { GOOS: 'linux', GOARCH: 'arm64' }],
    ['go-linux-arm-v7', { GOOS: 'linux', GOARCH: 'arm', GOARM: '7' }],
    ['go-linux-arm-v5', { GOOS: 'linux', GOARCH: 'arm', GOARM: '5' }],
    ['go-linux-s390x', { GOOS: 'linux', GOARCH: 's390x' }],
  ] as const)('%s records %j, agreeing with `go version -m`', async (name, expected) => {
    const path = fixtures.path(name);
    const info = await readGoBuildInfo(path);
    expect(info.settings).toMatchObject({ ...expected, CGO_ENABLED: '0', '-trimpath': 'true' });
    expect(info.path).toBe('crossdock.test/elfhello');
    expect(info.main?.path).toBe('crossdock.test/elfhello');

    const goVersionM = (await execa(support.tools.go!, ['version', '-m', path])).stdout;
    expect(goVersionM.split('\n')[0]).toContain(info.goVersion);
    for (const [key, value] of Object.entries(expected))
      expect(goVersionM).toContain(`build\t${key}=${value}`);
  });

  it('refuses a C binary with an error naming the file', async () => {
    const path = fixtures.path('c-static');
    await expect(readGoBuildInfo(path)).rejects.toBeInstanceOf(ElfFormatError);
    await expect(readGoBuildInfo(path)).rejects.toThrow(/c-static: no Go build info/);
  });
});
