import { describe, expect, it } from 'vitest';
import {
  BenchArgsError,
  DEFAULT_PLATFORMS,
  outputDir,
  parseBenchArgs,
  SCENARIOS,
} from '../../../scripts/bench/args';

describe('bench args', () => {
  it.each([
    [
      [],
      {
        quick: false,
        runs: 3,
        only: [...SCENARIOS],
        platforms: [...DEFAULT_PLATFORMS],
        out: undefined,
      },
    ],
    [
      ['--quick'],
      { quick: true, runs: 1, only: [...SCENARIOS], platforms: ['linux/arm64'], out: undefined },
    ],
    [
      ['--quick', '--runs=2'],
      { quick: true, runs: 2, only: [...SCENARIOS], platforms: ['linux/arm64'], out: undefined },
    ],
    [
      ['--only=sizes,emulation'],
      {
        quick: false,
        runs: 3,
        only: ['emulation', 'sizes'],
        platforms: [...DEFAULT_PLATFORMS],
        out: undefined,
      },
    ],
    [
      ['--platforms=linux/arm/v7', '--out=tmp/x'],
      { quick: false, runs: 3, only: [...SCENARIOS], platforms: ['linux/arm/v7'], out: 'tmp/x' },
    ],
    [
      ['--render=tmp/bench/r.json'],
      {
        quick: false,
        runs: 3,
        only: [...SCENARIOS],
        platforms: [...DEFAULT_PLATFORMS],
        out: undefined,
        render: 'tmp/bench/r.json',
      },
    ],
  ])('parses %j', (argv, expected) => {
    expect(parseBenchArgs(argv)).toEqual(expected);
  });

  it.each([
    [['--runs=0'], 'at least 1'],
    [['--runs=1.5'], 'whole number'],
    [['--only=speed'], 'unknown scenario "speed"'],
    [['--only='], 'unknown scenario'],
    [['--quick=yes'], 'takes no value'],
    [['--out'], 'expected a directory'],
    [['--render='], 'expected a results JSON file'],
    [['--fast'], 'unknown argument'],
  ])('refuses %j', (argv, reason) => {
    expect(() => parseBenchArgs(argv)).toThrow(BenchArgsError);
    expect(() => parseBenchArgs(argv)).toThrow(reason);
  });

  it.each([
    [undefined, true, '.'],
    [undefined, false, 'tmp/bench'],
    ['elsewhere', false, 'elsewhere'],
    ['elsewhere', true, 'elsewhere'],
  ])('outputDir(%s, complete=%s) = %s', (out, complete, expected) => {
    expect(outputDir(out, complete)).toBe(expected);
  });
});
