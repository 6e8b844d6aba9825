import { describe, expect, it } from 'vitest';
import {
  findPlatform,
  platformCompatible,
  platformMatches,
  platformsEqual,
  selectPlatformMatch,
} from './match';
import { parsePlatform } from './parse';
import type { Platform } from './platform';

const p = (os: string, architecture: string, variant?: string): Platform =>
  variant === undefined ? { os, architecture } : { os, architecture, variant };

describe('platformsEqual', () => {
  it.each([
    [p('linux', 'amd64'), p('linux', 'amd64'), true],
    [p('linux', 'amd64'), p('linux', 'amd64', ''), true],
    [p('linux', 'arm', 'v7'), p('linux', 'arm', 'v7'), true],
    [p('linux', 'arm', 'v7'), p('linux', 'arm'), false],
    [p('linux', 'arm64'), p('linux', 'arm64', 'v8'), false],
    [p('linux', 'amd64'), p('windows', 'amd64'), false],
  ])('%j, %j → %s', (a, b, expected) => {
    expect(platformsEqual(a, b)).toBe(expected);
    expect(platformsEqual(b, a)).toBe(expected);
  });
});

describe('platformMatches and platformCompatible', () => {
  it.each([
    // wanted, offered, matches, compatible
    ['linux/arm64', p('linux', 'arm64'), true, true],
    ['linux/arm64', p('linux', 'arm64', 'v8'), true, true],
    ['linux/arm64', p('linux', 'aarch64'), true, true],
    ['linux/arm64', p('linux', 'arm64', 'v9'), false, false],
    ['linux/arm/v7', p('linux', 'arm', 'v7'), true, true],
    ['linux/arm/v7', p('linux', 'arm'), true, true],
    ['linux/arm/v7', p('linux', 'arm', 'v6'), false, true],
    ['linux/arm/v7', p('linux', 'arm', 'v5'), false, true],
    ['linux/arm/v6', p('linux', 'arm'), false, false],
    ['linux/arm/v6', p('linux', 'armel'), true, true],
    ['linux/arm/v7', p('linux', 'arm64'), false, false],
    ['linux/amd64', p('linux', 'amd64'), true, true],
    ['linux/amd64', p('linux', 'amd64', 'v1'), true, true],
    ['linux/amd64', p('linux', 'amd64', 'v2'), false, false],
    ['linux/amd64/v3', p('linux', 'amd64'), false, true],
    ['linux/amd64/v3', p('linux', 'amd64', 'v2'), false, true],
    ['linux/amd64', p('linux', '386'), false, false],
    ['linux/amd64', p('windows', 'amd64'), false, false],
    ['linux/s390x', p('linux', 's390x'), true, true],
  ])(
    'wanted %s, offered %j → matches %s, compatible %s',
    (wanted, offered, matches, compatible) => {
      expect(platformMatches(parsePlatform(wanted), offered)).toBe(matches);
      expect(platformCompatible(parsePlatform(wanted), offered)).toBe(compatible);
    },
  );
});

describe('selectPlatformMatch', () => {
  const busyboxLike = [
    p('linux', 'amd64'),
    p('linux', 'arm', 'v5'),
    p('linux', 'arm', 'v6'),
    p('linux', 'arm'),
    p('linux', 'arm', 'v7'),
    p('linux', 'arm64', 'v8'),
    p('linux', '386'),
    p('windows', 'arm64'),
  ];

  it.each([
    ['linux/arm/v7', busyboxLike, 4],
    ['linux/arm/v7', busyboxLike.filter((x) => x.variant !== 'v7'), 3],
    ['linux/arm/v7', [p('linux', 'arm', 'v5'), p('linux', 'arm', 'v6')], 1],
    ['linux/arm/v6', busyboxLike, 2],
    ['linux/arm64', busyboxLike, 5],
    ['linux/arm64', [p('linux', 'arm64', 'v8'), p('linux', 'arm64')], 1],
    ['linux/amd64', [p('linux', 'amd64', 'v1'), p('linux', 'amd64')], 1],
    [
      'linux/amd64/v3',
      [p('linux', 'amd64'), p('linux', 'amd64', 'v2'), p('linux', 'amd64', 'v4')],
      1,
    ],
    ['linux/amd64', [p('linux', 'amd64', 'v2'), p('linux', '386')], -1],
    ['linux/s390x', busyboxLike, -1],
    ['linux/amd64', [], -1],
  ])('wanted %s → index %i', (wanted, offered, expected) => {
    expect(selectPlatformMatch(parsePlatform(wanted), offered)).toBe(expected);
  });

  it('prefers the first of equally good entries', () => {
    expect(
      selectPlatformMatch(p('linux', 'arm64'), [p('linux', 'arm64', 'v8'), p('linux', 'aarch64')]),
    ).toBe(0);
  });
});

describe('findPlatform', () => {
  const entries = [
    { digest: 'a', platform: p('linux', 'amd64') },
    { digest: 'none' },
    { digest: 'b', platform: p('linux', 'arm64', 'v8') },
    { digest: 'c', platform: p('linux', 'arm', 'v7') },
    { digest: 'd', platform: p('linux', 'arm', 'v6') },
  ];
  const platformOf = (entry: { platform?: Platform }) => entry.platform;

  it('finds the entry of a platform after normalisation, skipping entries without one', () => {
    expect(findPlatform(p('linux', 'arm64'), entries, platformOf)).toBe(2);
    expect(findPlatform(p('linux', 'arm', 'v7'), entries, platformOf)).toBe(3);
    expect(findPlatform(p('linux', 'amd64', 'v1'), entries, platformOf)).toBe(0);
  });

  it('takes an older level only with compatible matching', () => {
    expect(findPlatform(p('linux', 'amd64', 'v3'), entries, platformOf)).toBe(-1);
    expect(findPlatform(p('linux', 'amd64', 'v3'), entries, platformOf, 'compatible')).toBe(0);
    expect(findPlatform(p('linux', 'arm', 'v5'), entries, platformOf, 'compatible')).toBe(-1);
    expect(findPlatform(p('linux', 'riscv64'), entries, platformOf, 'compatible')).toBe(-1);
  });

  it('picks the exact arm/v7 of an index and no arm/v6 for arm/v7 (moved from the oci image-index test)', () => {
    const index = [
      { platform: { os: 'linux', architecture: 'amd64' } },
      { platform: { os: 'linux', architecture: 'arm64' } },
      { platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
    ];
    expect(findPlatform(p('linux', 'arm', 'v7'), index, platformOf)).toBe(2);
    expect(findPlatform(p('linux', 'arm', 'v6'), index, platformOf)).toBe(-1);
  });
});
