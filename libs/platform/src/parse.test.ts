import { describe, expect, it } from 'vitest';
import { SUPPORTED_ARCHITECTURES } from './architectures';
import { PlatformError, type PlatformComponent } from './errors';
import { formatPlatform } from './format';
import { canonicalPlatform, parsePlatform } from './parse';
import { splitPlatform } from './split';

describe('parsePlatform: valid inputs, normalised', () => {
  it.each([
    ['linux/amd64', 'linux/amd64'],
    ['amd64', 'linux/amd64'],
    ['x86_64', 'linux/amd64'],
    ['x86-64', 'linux/amd64'],
    ['linux/x86_64', 'linux/amd64'],
    ['amd64/v1', 'linux/amd64'],
    ['linux/amd64/v1', 'linux/amd64'],
    ['linux/amd64/v2', 'linux/amd64/v2'],
    ['amd64/3', 'linux/amd64/v3'],
    ['x86_64/v4', 'linux/amd64/v4'],
    ['arm64', 'linux/arm64'],
    ['aarch64', 'linux/arm64'],
    ['arm64/v8', 'linux/arm64'],
    ['arm64/v8.0', 'linux/arm64'],
    ['linux/arm64/v8', 'linux/arm64'],
    ['linux/aarch64/8', 'linux/arm64'],
    ['arm', 'linux/arm/v7'],
    ['linux/arm', 'linux/arm/v7'],
    ['armhf', 'linux/arm/v7'],
    ['linux/armhf/v7', 'linux/arm/v7'],
    ['arm/7', 'linux/arm/v7'],
    ['arm/v7', 'linux/arm/v7'],
    ['armv7l', 'linux/arm/v7'],
    ['armel', 'linux/arm/v6'],
    ['arm/6', 'linux/arm/v6'],
    ['linux/arm/v6', 'linux/arm/v6'],
    ['armv6l', 'linux/arm/v6'],
    ['arm/5', 'linux/arm/v5'],
    ['arm/v5', 'linux/arm/v5'],
    ['armv5tel', 'linux/arm/v5'],
    ['386', 'linux/386'],
    ['linux/386', 'linux/386'],
    ['i386', 'linux/386'],
    ['i686', 'linux/386'],
    ['ppc64le', 'linux/ppc64le'],
    ['linux/ppc64el', 'linux/ppc64le'],
    ['s390x', 'linux/s390x'],
    ['linux/riscv64', 'linux/riscv64'],
    ['mips64le', 'linux/mips64le'],
    ['mips64el', 'linux/mips64le'],
    ['loong64', 'linux/loong64'],
    ['linux/loongarch64', 'linux/loong64'],
    ['  LINUX/ARM64  ', 'linux/arm64'],
    ['Linux/AMD64/V3', 'linux/amd64/v3'],
    ['\tarm/V7\n', 'linux/arm/v7'],
  ])('%j → %s', (input, expected) => {
    expect(formatPlatform(parsePlatform(input))).toBe(expected);
  });

  it('returns a frozen record with no variant key when there is none', () => {
    const arm64 = parsePlatform('aarch64');
    expect(arm64).toStrictEqual({ os: 'linux', architecture: 'arm64' });
    expect('variant' in arm64).toBe(false);
    expect(Object.isFrozen(arm64)).toBe(true);
    expect(parsePlatform('armhf')).toStrictEqual({
      os: 'linux',
      architecture: 'arm',
      variant: 'v7',
    });
  });
});

describe('parsePlatform: invalid inputs, each with its reason', () => {
  const architectures = SUPPORTED_ARCHITECTURES.join(', ');
  it.each<[string, PlatformComponent, string]>([
    ['', 'format', 'it is empty'],
    ['   ', 'format', 'it is empty'],
    ['linux/arm/v7/extra', 'format', 'it has 4 components; a platform has at most three'],
    ['linux//arm', 'format', 'component 2 of 3 is empty'],
    ['/arm64', 'format', 'component 1 of 2 is empty'],
    ['linux/', 'format', 'component 2 of 2 is empty'],
    ['linux/am d64', 'format', 'component "am d64" may contain only letters, digits'],
    ['linux/*', 'format', 'component "*" may contain only'],
    ['windows(10.0.17763)/amd64', 'format', 'may contain only'],
    ['linux/arm64x', 'architecture', `architecture "arm64x" is not one of ${architectures}`],
    ['linux', 'architecture', 'the architecture is missing; write linux/<architecture>'],
    ['foo/v7', 'architecture', 'architecture "foo" is not one of'],
    ['constructor', 'architecture', 'architecture "constructor" is not one of'],
    ['linux/toString/v1', 'architecture', 'architecture "tostring" is not one of'],
    [
      'linux/ppc64',
      'architecture',
      'big-endian 64-bit POWER is not a crossdock target; Linux images for POWER are ppc64le',
    ],
    ['mips', 'architecture', '32-bit MIPS is not a crossdock target'],
    ['linux/wasm', 'architecture', 'WebAssembly'],
    ['aarch64_be', 'architecture', 'Go has no big-endian ARM port'],
    [
      'windows/amd64',
      'os',
      'os "windows" is not supported: crossdock images are linux-only; write linux/amd64',
    ],
    [
      'darwin/arm64',
      'os',
      'os "darwin" is not supported: crossdock images are linux-only; write linux/arm64',
    ],
    ['macos/arm64', 'os', 'os "macos" is not supported'],
    ['windows', 'os', 'crossdock images are linux-only'],
    [
      'windows/s390x',
      'os',
      'Go has no windows/s390x port, and crossdock images are linux-only; write linux/s390x',
    ],
    ['lnux/amd64', 'os', 'os "lnux" is not one of linux'],
    ['__proto__/amd64', 'os', 'os "__proto__" is not one of linux'],
    ['linux/arm/v8', 'variant', 'variant "v8" is refused for arm: Go has no GOARM=8'],
    ['arm/8', 'variant', 'write linux/arm64'],
    ['linux/arm/v4', 'variant', 'GOARM is 5, 6 or 7'],
    [
      'linux/arm64/v9',
      'variant',
      'variant "v9" is not valid for arm64: crossdock builds arm64 for the ARMv8.0 baseline',
    ],
    ['arm64/v8.2', 'variant', 'ARMv8.0 baseline'],
    ['linux/amd64/v5', 'variant', 'GOAMD64 levels are v1 to v4'],
    ['linux/386/v2', 'variant', 'architecture 386 has no variants'],
    ['linux/s390x/v1', 'variant', 'architecture s390x has no variants'],
    [
      'armhf/v6',
      'variant',
      'variant "v6" contradicts "armhf", which means linux/arm/v7; write linux/arm/v6 or linux/arm/v7',
    ],
    ['armel/7', 'variant', 'contradicts "armel", which means linux/arm/v6'],
  ])('%j → %s error: %s', (input, component, fragment) => {
    const error = catchError(() => parsePlatform(input));
    expect(error).toBeInstanceOf(PlatformError);
    expect(error.name).toBe('PlatformError');
    expect(error.component).toBe(component);
    expect(error.input).toBe(input);
    expect(error.message.startsWith(`${JSON.stringify(input)} is not a valid platform: `)).toBe(
      true,
    );
    expect(error.message).toContain(fragment);
  });

  it('gives the exact message of the documented example', () => {
    expect(() => parsePlatform('linux/arm64x')).toThrow(
      '"linux/arm64x" is not a valid platform: architecture "arm64x" is not one of amd64, arm64, arm, 386, ppc64le, s390x, riscv64, mips64le, loong64',
    );
  });

  it.each<[string, readonly string[]]>([
    ['linux/arm64x', SUPPORTED_ARCHITECTURES],
    ['windows/amd64', ['linux']],
    ['linux/arm/v8', ['v5', 'v6', 'v7']],
    ['linux/amd64/v9', ['v1', 'v2', 'v3', 'v4']],
    ['linux/386/v1', []],
    [
      'linux//x',
      ['os/architecture', 'os/architecture/variant', 'architecture', 'architecture/variant'],
    ],
  ])('lists what is valid for %j', (input, valid) => {
    expect(catchError(() => parsePlatform(input)).valid).toEqual(valid);
  });

  it('refuses a value that is not a string', () => {
    const error = catchError(() => parsePlatform(42 as unknown as string));
    expect(error.component).toBe('format');
    expect(error.message).toContain('expected a string such as linux/amd64, got number');
  });
});

describe('splitPlatform', () => {
  it.each([
    ['linux/arm64', { os: 'linux', architecture: 'arm64' }],
    ['arm64/v8', { architecture: 'arm64', variant: 'v8' }],
    ['arm/7', { architecture: 'arm', variant: '7' }],
    ['armhf/v7', { architecture: 'armhf', variant: 'v7' }],
    ['foo/bar', { os: 'foo', architecture: 'bar' }],
    ['foo/v2', { architecture: 'foo', variant: 'v2' }],
    ['linux/arm/v7', { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['Linux', { os: 'linux', architecture: '' }],
    ['AARCH64', { architecture: 'aarch64' }],
  ])('%j → %j', (input, expected) => {
    expect(splitPlatform(input)).toStrictEqual(expected);
  });
});

describe('canonicalPlatform', () => {
  it.each([
    [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, 'linux/arm64'],
    [{ os: 'linux', architecture: 'arm' }, 'linux/arm/v7'],
    [{ os: 'Linux', architecture: 'x86_64', variant: '' }, 'linux/amd64'],
  ])('%j → %s', (platform, expected) => {
    expect(formatPlatform(canonicalPlatform(platform))).toBe(expected);
  });

  it('throws PlatformError for a platform crossdock cannot build', () => {
    expect(() => canonicalPlatform({ os: 'windows', architecture: 'amd64' })).toThrow(
      PlatformError,
    );
  });
});

function catchError(action: () => unknown): PlatformError {
  try {
    action();
  } catch (error) {
    if (error instanceof PlatformError) return error;
    throw error;
  }
  throw new Error('expected a PlatformError, but nothing was thrown');
}
