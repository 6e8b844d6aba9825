import { describe, expect, it } from 'vitest';
import { buildArgs } from './buildkit';
import { parsePlatform } from './parse';

describe('buildArgs', () => {
  it.each([
    ['linux/amd64', 'linux/amd64', 'amd64', ''],
    ['amd64/v1', 'linux/amd64', 'amd64', ''],
    ['linux/amd64/v3', 'linux/amd64/v3', 'amd64', 'v3'],
    ['aarch64', 'linux/arm64', 'arm64', ''],
    ['arm', 'linux/arm/v7', 'arm', 'v7'],
    ['armel', 'linux/arm/v6', 'arm', 'v6'],
    ['arm/5', 'linux/arm/v5', 'arm', 'v5'],
    ['i386', 'linux/386', '386', ''],
    ['ppc64le', 'linux/ppc64le', 'ppc64le', ''],
    ['s390x', 'linux/s390x', 's390x', ''],
    ['riscv64', 'linux/riscv64', 'riscv64', ''],
    ['mips64le', 'linux/mips64le', 'mips64le', ''],
    ['loong64', 'linux/loong64', 'loong64', ''],
  ])('%s → TARGETPLATFORM=%s TARGETARCH=%s TARGETVARIANT=%j', (input, platform, arch, variant) => {
    expect(buildArgs(parsePlatform(input))).toStrictEqual({
      TARGETPLATFORM: platform,
      TARGETOS: 'linux',
      TARGETARCH: arch,
      TARGETVARIANT: variant,
    });
  });

  it('normalises a hand-made platform the way BuildKit does', () => {
    expect(buildArgs({ os: 'linux', architecture: 'arm64', variant: 'v8' }).TARGETPLATFORM).toBe(
      'linux/arm64',
    );
  });
});
