import { describe, expect, it } from 'vitest';
import { PlatformError } from './errors';
import { formatPlatform } from './format';
import { parsePlatformList } from './list';

describe('parsePlatformList', () => {
  it('parses each entry and keeps the given order', () => {
    const list = parsePlatformList(['arm', 'linux/amd64', 'aarch64', 'amd64/v3']);
    expect(list.map(formatPlatform)).toEqual([
      'linux/arm/v7',
      'linux/amd64',
      'linux/arm64',
      'linux/amd64/v3',
    ]);
  });

  it('never changes its argument', () => {
    const inputs = Object.freeze(['s390x', 'amd64']);
    parsePlatformList(inputs);
    expect(inputs).toEqual(['s390x', 'amd64']);
  });

  it.each([
    [
      ['linux/arm64', 'aarch64'],
      '"linux/arm64" and "aarch64" both mean linux/arm64; list each platform once',
    ],
    [['arm', 'amd64', 'linux/arm/v7'], '"arm" and "linux/arm/v7" both mean linux/arm/v7'],
    [['x86_64', 'amd64/v1'], '"x86_64" and "amd64/v1" both mean linux/amd64'],
    [['amd64', 'amd64'], '"amd64" is listed twice'],
    [[], 'it is empty; name at least one platform'],
  ])('refuses %j: %s', (inputs, fragment) => {
    const error = (() => {
      try {
        parsePlatformList(inputs);
      } catch (caught) {
        return caught as PlatformError;
      }
      throw new Error('expected a PlatformError');
    })();
    expect(error).toBeInstanceOf(PlatformError);
    expect(error.component).toBe('list');
    expect(error.input).toBe(JSON.stringify(inputs));
    expect(error.message).toBe(
      `${JSON.stringify(inputs)} is not a valid platform list: ${error.reason}`,
    );
    expect(error.message).toContain(fragment);
    expect(error.valid).toContain('linux/arm/v7');
  });

  it('reports a bad entry with that entry quoted', () => {
    expect(() => parsePlatformList(['linux/amd64', 'linux/arm64x'])).toThrow(
      /^"linux\/arm64x" is not a valid platform: architecture "arm64x"/,
    );
  });
});
