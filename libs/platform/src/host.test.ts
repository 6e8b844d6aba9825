import { describe, expect, it } from 'vitest';
import { PlatformError } from './errors';
import { formatPlatform } from './format';
import { isNativeOn, platformFromNode } from './host';
import { parsePlatform } from './parse';
import type { Platform } from './platform';

const p = (os: string, architecture: string, variant?: string): Platform =>
  variant === undefined ? { os, architecture } : { os, architecture, variant };

describe('isNativeOn', () => {
  it.each([
    ['linux/amd64', p('linux', 'amd64'), true],
    ['linux/amd64/v3', p('linux', 'amd64'), true],
    ['linux/arm64', p('linux', 'arm64'), true],
    ['linux/arm64', p('linux', 'aarch64'), true],
    ['linux/arm/v7', p('linux', 'arm', 'v7'), true],
    ['linux/arm/v6', p('linux', 'arm', 'v7'), true],
    ['linux/arm/v7', p('linux', 'arm', 'v6'), false],
    ['linux/arm/v7', p('linux', 'arm'), true],
    ['linux/386', p('linux', 'amd64'), false],
    ['linux/arm/v7', p('linux', 'arm64'), false],
    ['linux/amd64', p('linux', 'arm64'), false],
    ['linux/arm64', p('darwin', 'arm64'), false],
    ['linux/s390x', p('linux', 's390x'), true],
  ])('%s on host %j → %s', (platform, host, expected) => {
    expect(isNativeOn(parsePlatform(platform), host)).toBe(expected);
  });
});

describe('platformFromNode', () => {
  it.each([
    ['x64', 'linux', 'linux/amd64'],
    ['arm64', 'linux', 'linux/arm64'],
    ['arm', 'linux', 'linux/arm/v7'],
    ['ia32', 'linux', 'linux/386'],
    ['ppc64', 'linux', 'linux/ppc64le'],
    ['ppc64', 'aix', 'aix/ppc64'],
    ['s390x', 'linux', 'linux/s390x'],
    ['riscv64', 'linux', 'linux/riscv64'],
    ['loong64', 'linux', 'linux/loong64'],
    ['mipsel', 'linux', 'linux/mipsle'],
    ['arm64', 'darwin', 'darwin/arm64'],
    ['x64', 'win32', 'windows/amd64'],
  ])('(%s, %s) → %s', (arch, os, expected) => {
    expect(formatPlatform(platformFromNode(arch, os))).toBe(expected);
  });

  it.each([
    ['x86_64', 'linux', 'architecture', 'Node arch "x86_64" is not one of x64, arm64'],
    ['x64', 'Linux', 'os', 'Node platform "Linux" is not one of linux, darwin, win32'],
    ['constructor', 'linux', 'architecture', 'Node arch "constructor"'],
  ])('(%j, %j) → %s error', (arch, os, component, fragment) => {
    expect(() => platformFromNode(arch, os)).toThrow(PlatformError);
    try {
      platformFromNode(arch, os);
    } catch (error) {
      expect((error as PlatformError).component).toBe(component);
      expect((error as PlatformError).message).toContain(fragment);
    }
  });
});
