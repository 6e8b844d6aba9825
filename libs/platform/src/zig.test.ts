import { describe, expect, it } from 'vitest';
import { PlatformError } from './errors';
import { parsePlatform } from './parse';
import { SUPPORTED_PLATFORMS } from './supported';
import { formatPlatform } from './format';
import { C_LIBRARIES, gnuTriple, zigTarget } from './zig';

describe('zigTarget', () => {
  it.each([
    ['linux/amd64', 'musl', 'x86_64-linux-musl', undefined],
    ['linux/amd64/v3', 'musl', 'x86_64-linux-musl', 'x86_64_v3'],
    ['linux/amd64', 'glibc', 'x86_64-linux-gnu', undefined],
    ['linux/arm64', 'musl', 'aarch64-linux-musl', undefined],
    ['linux/arm64', 'glibc', 'aarch64-linux-gnu', undefined],
    ['linux/arm/v7', 'musl', 'arm-linux-musleabihf', 'generic+v7a+vfp3d16-neon-d32'],
    ['linux/arm/v7', 'glibc', 'arm-linux-gnueabihf', 'generic+v7a+vfp3d16-neon-d32'],
    ['linux/arm/v6', 'musl', 'arm-linux-musleabihf', 'arm1176jzf_s'],
    ['linux/arm/v5', 'musl', 'arm-linux-musleabi', 'arm926ej_s'],
    ['linux/arm/v5', 'glibc', 'arm-linux-gnueabi', 'arm926ej_s'],
    ['linux/386', 'musl', 'x86-linux-musl', 'pentium4'],
    ['linux/ppc64le', 'musl', 'powerpc64le-linux-musl', 'pwr8'],
    ['linux/ppc64le', 'glibc', 'powerpc64le-linux-gnu', 'pwr8'],
    ['linux/s390x', 'musl', 's390x-linux-musl', undefined],
    ['linux/riscv64', 'musl', 'riscv64-linux-musl', undefined],
    ['linux/riscv64', 'glibc', 'riscv64-linux-gnu', undefined],
    ['linux/mips64le', 'musl', 'mips64el-linux-muslabi64', undefined],
    ['linux/loong64', 'glibc', 'loongarch64-linux-gnu', undefined],
  ] as const)('%s with %s → -target %s -mcpu=%s', (platform, libc, triple, mcpu) => {
    const target = zigTarget(parsePlatform(platform), libc);
    expect(target.triple).toBe(triple);
    expect(target.mcpu).toBe(mcpu);
    expect(target.args).toStrictEqual(['-target', triple, ...(mcpu ? [`-mcpu=${mcpu}`] : [])]);
    expect(Object.isFrozen(target)).toBe(true);
  });

  it('has a target for every supported platform and C library', () => {
    for (const platform of SUPPORTED_PLATFORMS) {
      for (const libc of C_LIBRARIES)
        expect(zigTarget(platform, libc).triple, `${formatPlatform(platform)} ${libc}`).toMatch(
          /^[a-z0-9_]+-linux-[a-z0-9]+$/,
        );
    }
  });

  it.each([
    [{ os: 'linux', architecture: 'sparc64' }, /"linux\/sparc64" is not a valid platform/],
    [{ os: 'darwin', architecture: 'arm64' }, /"darwin\/arm64"/],
    [{ os: 'linux', architecture: 'arm', variant: 'v8' }, /"linux\/arm\/v8"/],
  ])('refuses %j, naming it', (platform, message) => {
    expect(() => zigTarget(platform, 'musl')).toThrow(PlatformError);
    expect(() => zigTarget(platform, 'musl')).toThrow(message);
  });

  it('refuses a C library zig does not know, naming the platform', () => {
    expect(() => zigTarget(parsePlatform('linux/riscv64'), 'uclibc' as never)).toThrow(
      /zig has no uclibc C target for linux\/riscv64/,
    );
  });
});

describe('gnuTriple', () => {
  it.each([
    ['linux/arm64', 'glibc', 'aarch64-linux-gnu'],
    ['linux/arm/v7', 'glibc', 'arm-linux-gnueabihf'],
    ['linux/arm/v7', 'musl', 'arm-linux-musleabihf'],
    ['linux/386', 'glibc', 'i686-linux-gnu'],
    ['linux/ppc64le', 'glibc', 'powerpc64le-linux-gnu'],
    ['linux/amd64/v3', 'musl', 'x86_64-linux-musl'],
  ] as const)('%s %s → %s', (platform, libc, triple) => {
    expect(gnuTriple(parsePlatform(platform), libc)).toBe(triple);
  });
});
