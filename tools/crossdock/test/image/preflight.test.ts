import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePlatform } from '@crossdock/platform';
import type { ElfFixtures, FixtureName } from '../../../../libs/elf/test/fixtures';
import { fixtureSupport } from '../../../../libs/elf/test/support';
import { preflightBinary, PreflightError, type PreflightInput } from '../../src/image/preflight';

// The ELF preflight against real binaries: Go programs cross-compiled per architecture and a
// gcc-linked dynamic C program (libs/elf's fixtures, cached under tmp/fixtures/elf).
const support = fixtureSupport();
let fixtures: ElfFixtures;

function input(
  name: FixtureName,
  platform: string,
  baseHasPath: (path: string) => Promise<boolean> = async () => false,
): PreflightInput {
  return {
    project: 'hello',
    platform: parsePlatform(platform),
    binary: fixtures.path(name),
    baseName: 'scratch',
    baseHasPath,
  };
}

async function refusal(name: FixtureName, platform: string): Promise<PreflightError> {
  const error = await preflightBinary(input(name, platform)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PreflightError);
  const refused = error as PreflightError;
  expect(refused.project).toBe('hello');
  expect(refused.platform).toBe(platform);
  expect(
    refused.message.startsWith(
      `hello: refusing to ship ${fixtures.path(name)} in the ${platform} image: `,
    ),
  ).toBe(true);
  return refused;
}

describe.skipIf(!support.available)('preflightBinary with real binaries', () => {
  beforeAll(async () => {
    fixtures = await support.build();
  }, 300_000);

  it.each<[FixtureName, string]>([
    ['go-linux-amd64', 'linux/amd64'],
    ['go-linux-arm64', 'linux/arm64'],
    ['go-linux-arm-v7', 'linux/arm/v7'],
    ['go-linux-arm-v5', 'linux/arm/v5'],
    ['go-linux-ppc64le', 'linux/ppc64le'],
    ['go-linux-s390x', 'linux/s390x'],
    ['go-linux-riscv64', 'linux/riscv64'],
    ['go-linux-386', 'linux/386'],
    ['c-static', 'linux/amd64'],
    ['c-static-pie', 'linux/amd64'],
  ])('passes %s for %s', async (name, platform) => {
    const report = await preflightBinary(input(name, platform));
    expect(report.elf.interpreter).toBeUndefined();
    if (name.startsWith('go-'))
      expect(report.go?.settings.GOARCH).toBe(parsePlatform(platform).architecture);
  });

  it('finds the same in a binary read already as in the file, and refuses it alike', async () => {
    for (const [name, platform] of [
      ['go-linux-arm-v7', 'linux/arm/v7'],
      ['c-dynamic-pie', 'linux/amd64'],
    ] as const) {
      const bytes = await readFile(fixtures.path(name));
      const fromFile = await preflightBinary(input(name, platform, async () => true));
      const fromBytes = await preflightBinary({
        ...input(name, platform, async () => true),
        bytes,
      });
      expect(fromBytes).toEqual(fromFile);
    }
    const bytes = await readFile(fixtures.path('go-linux-amd64'));
    const refused = await preflightBinary({
      ...input('go-linux-amd64', 'linux/arm64'),
      bytes,
    }).catch((e: unknown) => e as Error);
    expect(refused).toBeInstanceOf(PreflightError);
    expect((refused as Error).message).toBe(
      (await refusal('go-linux-amd64', 'linux/arm64')).message,
    );
  });

  it('refuses an amd64 binary in an arm64 image, naming both', async () => {
    const { message } = await refusal('go-linux-amd64', 'linux/arm64');
    expect(message).toContain('ELF 64-bit LSB executable, x86-64');
    expect(message).toContain(
      '(a linux/amd64 binary), but linux/arm64 needs 64-bit little-endian EM_AARCH64',
    );
    expect(message).toContain('exec format error');
    expect(message).toContain('nx run hello:compile');
  });

  it.each<[FixtureName, string, string]>([
    ['go-linux-arm64', 'linux/amd64', 'linux/arm64'],
    ['go-linux-arm-v7', 'linux/arm64', 'linux/arm'],
    ['go-linux-ppc64', 'linux/ppc64le', 'ELF 64-bit MSB executable'],
    ['go-linux-s390x', 'linux/riscv64', 'linux/s390x'],
  ])('refuses %s for %s (machine, class or byte order)', async (name, platform, named) => {
    const { message } = await refusal(name, platform);
    expect(message).toContain(`but ${platform} needs`);
    expect(message).toContain(named);
  });

  it('refuses a GOARM=5 binary for linux/arm/v7: same ELF header, Go target mismatch', async () => {
    const { message } = await refusal('go-linux-arm-v5', 'linux/arm/v7');
    expect(message).toContain(
      'Go target mismatch: its Go build info says GOARM=5, but linux/arm/v7 needs GOARM=7',
    );
    expect(message).toContain('nx run hello:compile');
  });

  it('refuses a GOARM=7 binary for linux/arm/v5', async () => {
    expect((await refusal('go-linux-arm-v7', 'linux/arm/v5')).message).toContain(
      'GOARM=7, but linux/arm/v5 needs GOARM=5',
    );
  });

  it.each<FixtureName>(['c-dynamic-pie', 'c-dynamic-nopie'])(
    'refuses the dynamic %s on scratch, naming the loader, the platform and both fixes',
    async (name) => {
      const { message } = await refusal(name, 'linux/amd64');
      expect(message).toContain(
        'it is dynamically linked and needs the loader /lib64/ld-linux-x86-64.so.2 (glibc), which the base image (scratch) does not have for linux/amd64',
      );
      expect(message).toContain("Could not open '/lib64/ld-linux-x86-64.so.2'");
      expect(message).toContain('CGO_ENABLED=0');
      expect(message).toContain('use a base image that has glibc for linux/amd64');
    },
  );

  it('accepts a dynamic binary when the base has its loader, asking for exactly that path', async () => {
    const asked: string[] = [];
    const report = await preflightBinary(
      input('c-dynamic-pie', 'linux/amd64', async (path) => (asked.push(path), true)),
    );
    expect(asked).toEqual(['/lib64/ld-linux-x86-64.so.2', '/lib/x86_64-linux-gnu/libc.so.6']);
    expect(report.elf.interpreter).toBe('/lib64/ld-linux-x86-64.so.2');
  });

  it('refuses a glibc binary when the base has the loader but no libc.so.6, naming the folders searched', async () => {
    const has = async (path: string) => path === '/lib64/ld-linux-x86-64.so.2';
    const error = await preflightBinary(input('c-dynamic-pie', 'linux/amd64', has)).catch(
      (e: unknown) => e as PreflightError,
    );
    expect(error).toBeInstanceOf(PreflightError);
    expect((error as PreflightError).message).toContain(
      'has its loader /lib64/ld-linux-x86-64.so.2 but no C library (libc.so.6) for linux/amd64 in /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib64',
    );
    expect((error as PreflightError).message).toContain('libc: musl');
  });

  it('accepts a glibc binary whose libc.so.6 is in /usr/lib/<triple> (merged /usr)', async () => {
    const present = new Set(['/lib64/ld-linux-x86-64.so.2', '/usr/lib/x86_64-linux-gnu/libc.so.6']);
    await expect(
      preflightBinary(input('c-dynamic-nopie', 'linux/amd64', async (path) => present.has(path))),
    ).resolves.toBeDefined();
  });

  it.each<FixtureName>(['shell-script', 'empty', 'magic-only', 'bad-class', 'header-truncated-40'])(
    'refuses the garbage file %s',
    async (name) => {
      expect((await refusal(name, 'linux/amd64')).message).toMatch(
        /it is not a readable ELF executable \(.+\); rebuild it: nx run hello:compile$/,
      );
    },
  );
});
