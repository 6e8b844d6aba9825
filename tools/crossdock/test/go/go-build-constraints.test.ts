import { describe, expect, it } from 'vitest';
import { parsePlatform } from '@crossdock/platform';
import {
  evaluate,
  fileNameMatches,
  headerConstraint,
  parseGoBuildExpression,
} from '../../src/go/build-constraints';
import { goBuildContext, tagOracle } from '../../src/go/build-context';

const oracle = (
  platform: string,
  options: { cgo?: boolean; tags?: string[]; goVersion?: string } = {},
) =>
  tagOracle(
    goBuildContext(parsePlatform(platform), {
      cgo: options.cgo ?? false,
      tags: options.tags ?? [],
      ...(options.goVersion ? { goVersion: options.goVersion } : {}),
    }),
  );

describe('//go:build expressions, three-valued', () => {
  it.each([
    ['linux', 'linux/arm64', true],
    ['!linux', 'linux/arm64', false],
    ['linux && arm64', 'linux/arm64', true],
    ['linux && amd64', 'linux/arm64', false],
    ['darwin || (linux && !arm)', 'linux/arm/v7', false],
    ['unix', 'linux/s390x', true],
    ['cgo', 'linux/amd64', false],
    ['!cgo', 'linux/amd64', true],
    ['ignore', 'linux/amd64', false],
    ['go1.21', 'linux/amd64', true],
    ['go1.99', 'linux/amd64', undefined],
    ['integration', 'linux/amd64', undefined],
    ['!integration', 'linux/amd64', undefined],
    ['integration && windows', 'linux/amd64', false],
    ['integration || linux', 'linux/amd64', true],
    ['goexperiment.rangefunc', 'linux/amd64', undefined],
    ['amd64.v2', 'linux/amd64', false],
    ['amd64.v2', 'linux/amd64/v3', true],
    ['amd64.v1', 'linux/amd64', true],
    ['arm64.v8.1', 'linux/amd64', false],
    ['arm64.v8.1', 'linux/arm64', undefined],
  ])('%s on %s → %s', (expression, platform, expected) => {
    expect(
      evaluate(parseGoBuildExpression(expression), oracle(platform, { goVersion: '1.26' })),
    ).toBe(expected);
  });

  it("the app's build tags are set", () => {
    expect(
      evaluate(
        parseGoBuildExpression('netgo && !integration'),
        oracle('linux/amd64', { tags: ['netgo', 'integration'] }),
      ),
    ).toBe(false);
  });

  it.each(['linux &&', '(linux', 'linux ! arm64', '&&'])(
    'refuses the malformed %j',
    (expression) => {
      expect(() => parseGoBuildExpression(expression)).toThrow(/invalid \/\/go:build expression/);
    },
  );
});

describe('header constraints', () => {
  it('reads //go:build before the package clause and ignores it after', () => {
    expect(headerConstraint('// Copyright\n\n//go:build linux\n\npackage x\n')).toEqual({
      kind: 'tag',
      tag: 'linux',
    });
    expect(headerConstraint('package x\n\n//go:build linux\n')).toBeUndefined();
  });

  it('counts // +build lines only when a blank line follows them, and ANDs them', () => {
    const both = headerConstraint('// +build linux darwin\n// +build amd64\n\npackage x\n')!;
    expect(evaluate(both, oracle('linux/amd64'))).toBe(true);
    expect(evaluate(both, oracle('linux/arm64'))).toBe(false);
    expect(headerConstraint('// +build linux\npackage x\n')).toBeUndefined();
  });

  it('prefers //go:build over // +build, and a malformed expression constrains nothing', () => {
    expect(headerConstraint('//go:build arm64\n// +build amd64\n\npackage x\n')).toEqual({
      kind: 'tag',
      tag: 'arm64',
    });
    expect(headerConstraint('//go:build linux &&\n\npackage x\n')).toBeUndefined();
  });
});

describe('file-name constraints (go/build rules)', () => {
  it.each([
    ['x_linux.go', 'linux/arm64', true],
    ['x_windows.go', 'linux/arm64', false],
    ['x_arm64.go', 'linux/arm64', true],
    ['x_amd64.go', 'linux/arm64', false],
    ['x_linux_arm64.go', 'linux/arm64', true],
    ['x_linux_amd64.go', 'linux/arm64', false],
    ['x_windows_arm64.go', 'linux/arm64', false],
    ['x_arm64_test.go', 'linux/amd64', false],
    ['linux.go', 'linux/amd64', true],
    ['x_unix.go', 'linux/amd64', true],
    ['x_unknown.go', 'linux/amd64', true],
    ['asm_amd64.s', 'linux/amd64', true],
    ['asm_amd64.s', 'linux/riscv64', false],
    ['x_linux.pb.go', 'linux/amd64', true],
  ])('%s on %s → %s', (name, platform, expected) => {
    expect(fileNameMatches(name, oracle(platform))).toBe(expected);
  });
});
