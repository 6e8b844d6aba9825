import { describe, expect, it } from 'vitest';
import { parsePlatform, platformFromNode, type Platform } from '@crossdock/platform';
import { decideRunMode, isCi, runModeLabel, type RunMode } from './run-mode';

const allQemu = (name: string) => `/usr/bin/${name}`;
const noQemu = () => undefined;
/** Hosts as the executor makes them, from Node's process.arch and process.platform. */
const HOSTS: Record<string, Platform> = {
  'linux/amd64': platformFromNode('x64', 'linux'),
  'linux/arm64': platformFromNode('arm64', 'linux'),
  'darwin/arm64': platformFromNode('arm64', 'darwin'),
};

describe('decideRunMode', () => {
  it.each<[string, string, RunMode]>([
    ['linux/amd64', 'linux/amd64', { kind: 'native' }],
    ['linux/arm64', 'linux/arm64', { kind: 'native' }],
    ['linux/arm64', 'linux/amd64', { kind: 'emulated', qemu: '/usr/bin/qemu-aarch64-static' }],
    ['linux/amd64', 'linux/arm64', { kind: 'emulated', qemu: '/usr/bin/qemu-x86_64-static' }],
    [
      'linux/arm/v7',
      'linux/amd64',
      { kind: 'emulated', qemu: '/usr/bin/qemu-arm-static', cpu: 'cortex-a7' },
    ],
    [
      'linux/arm/v6',
      'linux/amd64',
      { kind: 'emulated', qemu: '/usr/bin/qemu-arm-static', cpu: 'arm1176' },
    ],
    [
      'linux/arm/v5',
      'linux/amd64',
      { kind: 'emulated', qemu: '/usr/bin/qemu-arm-static', cpu: 'arm926' },
    ],
    // isNativeOn is strict: arm on an arm64 host is emulated.
    [
      'linux/arm/v7',
      'linux/arm64',
      { kind: 'emulated', qemu: '/usr/bin/qemu-arm-static', cpu: 'cortex-a7' },
    ],
    ['linux/ppc64le', 'linux/amd64', { kind: 'emulated', qemu: '/usr/bin/qemu-ppc64le-static' }],
    ['linux/s390x', 'linux/amd64', { kind: 'emulated', qemu: '/usr/bin/qemu-s390x-static' }],
    ['linux/riscv64', 'linux/amd64', { kind: 'emulated', qemu: '/usr/bin/qemu-riscv64-static' }],
    // qemu-i386 crashes Go binaries; an amd64 kernel runs them natively.
    ['linux/386', 'linux/amd64', { kind: 'native', note: '32-bit, on the amd64 kernel' }],
    // A Mac is never native for linux images.
    ['linux/arm64', 'darwin/arm64', { kind: 'emulated', qemu: '/usr/bin/qemu-aarch64-static' }],
  ])('%s on a %s host', (platform, host, expected) => {
    expect(
      decideRunMode({
        platform: parsePlatform(platform),
        host: HOSTS[host]!,
        ci: false,
        findProgram: allQemu,
      }),
    ).toEqual(expected);
  });

  it("looks up exactly the platform's qemu-user-static binary", () => {
    const asked: string[] = [];
    decideRunMode({
      platform: parsePlatform('linux/riscv64'),
      host: HOSTS['linux/amd64']!,
      ci: false,
      findProgram: (n) => (asked.push(n), undefined),
    });
    expect(asked).toEqual(['qemu-riscv64-static']);
  });

  describe('a platform that cannot run: a loud skip locally, a failure under CI', () => {
    it.each([
      [false, true],
      [true, false],
    ])('qemu missing, ci=%s → skip=%s', (ci, skip) => {
      const mode = decideRunMode({
        platform: parsePlatform('linux/arm64'),
        host: HOSTS['linux/amd64']!,
        ci,
        findProgram: noQemu,
      });
      expect(mode).toMatchObject({ kind: 'unavailable', skip });
      const reason = (mode as Extract<RunMode, { kind: 'unavailable' }>).reason;
      expect(reason).toContain(
        'no qemu-aarch64-static on the PATH to emulate linux/arm64 on this linux/amd64 host',
      );
      expect(reason).toContain('apt-get install qemu-user-static');
      if (ci)
        expect(reason).toContain(
          'CI=true: a platform that cannot be smoke-tested fails the smoke target',
        );
    });

    it.each([
      [false, true],
      [true, false],
    ])('linux/386 on an arm64 host, ci=%s → skip=%s, saying why', (ci, skip) => {
      const mode = decideRunMode({
        platform: parsePlatform('linux/386'),
        host: HOSTS['linux/arm64']!,
        ci,
        findProgram: allQemu,
      });
      expect(mode).toMatchObject({ kind: 'unavailable', skip });
      const reason = (mode as Extract<RunMode, { kind: 'unavailable' }>).reason;
      expect(reason).toContain('linux/386 cannot be smoke-tested on a linux/arm64 host');
      expect(reason).toContain('qemu-i386 crashes Go 386 binaries');
    });

    it('a native platform never depends on qemu', () => {
      expect(
        decideRunMode({
          platform: parsePlatform('linux/amd64'),
          host: HOSTS['linux/amd64']!,
          ci: true,
          findProgram: noQemu,
        }),
      ).toEqual({ kind: 'native' });
    });
  });
});

describe('isCi', () => {
  it.each([
    ['true', true],
    [undefined, false],
    ['', false],
    ['false', false],
  ])('CI=%s → %s', (value, expected) => expect(isCi(value)).toBe(expected));
});

describe('runModeLabel', () => {
  it.each<[RunMode, string]>([
    [{ kind: 'native' }, 'native'],
    [
      { kind: 'native', note: '32-bit, on the amd64 kernel' },
      'native (32-bit, on the amd64 kernel)',
    ],
    [{ kind: 'emulated', qemu: '/usr/bin/qemu-aarch64-static' }, 'emulated (qemu-aarch64-static)'],
    [
      { kind: 'emulated', qemu: '/usr/bin/qemu-arm-static', cpu: 'cortex-a7' },
      'emulated (qemu-arm-static -cpu cortex-a7)',
    ],
    [{ kind: 'unavailable', skip: true, reason: 'x' }, 'skipped'],
    [{ kind: 'unavailable', skip: false, reason: 'x' }, 'not run'],
  ])('%j → %s', (mode, label) => expect(runModeLabel(mode)).toBe(label));
});
