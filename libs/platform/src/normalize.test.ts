import { describe, expect, it } from 'vitest';
import { normalizePlatform } from './normalize';

describe('normalizePlatform', () => {
  it.each([
    [
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'aarch64' },
      { os: 'linux', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'arm' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ],
    [
      { os: 'linux', architecture: 'arm', variant: '6' },
      { os: 'linux', architecture: 'arm', variant: 'v6' },
    ],
    [
      { os: 'linux', architecture: 'armhf', variant: 'v6' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ],
    [
      { os: 'linux', architecture: 'amd64', variant: 'v1' },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      { os: 'Linux', architecture: 'X86_64', variant: '' },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      { os: 'linux', architecture: 'i386' },
      { os: 'linux', architecture: '386' },
    ],
    // Values crossdock does not build pass through, so foreign indexes normalise without errors.
    [
      { os: 'windows', architecture: 'amd64' },
      { os: 'windows', architecture: 'amd64' },
    ],
    [
      { os: 'macos', architecture: 'arm64' },
      { os: 'darwin', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'arm64', variant: 'v9' },
      { os: 'linux', architecture: 'arm64', variant: 'v9' },
    ],
    [
      { os: 'linux', architecture: 'arm', variant: '8' },
      { os: 'linux', architecture: 'arm', variant: 'v8' },
    ],
    [
      { os: 'linux', architecture: 'ppc64' },
      { os: 'linux', architecture: 'ppc64' },
    ],
    [
      { os: 'linux', architecture: 'constructor' },
      { os: 'linux', architecture: 'constructor' },
    ],
  ])('%j → %j', (input, expected) => {
    expect(normalizePlatform(input)).toStrictEqual(expected);
  });

  it('does not change its argument', () => {
    const input = Object.freeze({ os: 'linux', architecture: 'aarch64', variant: 'v8' });
    normalizePlatform(input);
    expect(input).toEqual({ os: 'linux', architecture: 'aarch64', variant: 'v8' });
  });
});
