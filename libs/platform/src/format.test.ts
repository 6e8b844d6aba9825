import { describe, expect, it } from 'vitest';
import { formatPlatform, platformPath, platformSlug } from './format';
import { normalizePlatform } from './normalize';
import { parsePlatform } from './parse';
import { makePlatform } from './platform';
import { SUPPORTED_PLATFORMS } from './supported';

describe('formatPlatform, platformSlug, platformPath', () => {
  it.each([
    [makePlatform('linux', 'amd64'), 'linux/amd64', 'linux-amd64', 'linux/amd64'],
    [makePlatform('linux', 'amd64', 'v3'), 'linux/amd64/v3', 'linux-amd64-v3', 'linux/amd64/v3'],
    [makePlatform('linux', 'arm', 'v7'), 'linux/arm/v7', 'linux-arm-v7', 'linux/arm/v7'],
    [makePlatform('linux', '386'), 'linux/386', 'linux-386', 'linux/386'],
    [
      { os: 'linux', architecture: 'arm64', variant: '' },
      'linux/arm64',
      'linux-arm64',
      'linux/arm64',
    ],
  ])('%j → %s, %s, %s', (platform, formatted, slug, path) => {
    expect(formatPlatform(platform)).toBe(formatted);
    expect(platformSlug(platform)).toBe(slug);
    expect(platformPath(platform)).toBe(path);
  });

  it('gives every supported platform a distinct slug of [a-z0-9-] only', () => {
    const slugs = SUPPORTED_PLATFORMS.map(platformSlug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9-]+$/);
  });
});

describe('round trip', () => {
  const spellings = [
    'aarch64',
    'arm64/v8.0',
    'armhf',
    'arm',
    'arm/5',
    'armel',
    'x86_64',
    'amd64/v1',
    'amd64/v2',
    'i686',
    'ppc64el',
    's390x',
    'riscv64',
    'mips64el',
    'loongarch64',
    ' Linux/ARM/V6 ',
  ];

  it.each(spellings)('format(parse(format(parse(%j)))) is stable', (input) => {
    const once = formatPlatform(parsePlatform(input));
    expect(formatPlatform(parsePlatform(once))).toBe(once);
  });

  it.each(SUPPORTED_PLATFORMS.map((p) => [formatPlatform(p), p] as const))(
    'parse(format(%s)) is the same record, and already normal',
    (_formatted, platform) => {
      expect(parsePlatform(formatPlatform(platform))).toStrictEqual(platform);
      expect(normalizePlatform(platform)).toStrictEqual(platform);
    },
  );

  it('lists the supported platforms in message order', () => {
    expect(SUPPORTED_PLATFORMS.map(formatPlatform)).toEqual([
      'linux/amd64',
      'linux/amd64/v2',
      'linux/amd64/v3',
      'linux/amd64/v4',
      'linux/arm64',
      'linux/arm/v5',
      'linux/arm/v6',
      'linux/arm/v7',
      'linux/386',
      'linux/ppc64le',
      'linux/s390x',
      'linux/riscv64',
      'linux/mips64le',
      'linux/loong64',
    ]);
  });
});
