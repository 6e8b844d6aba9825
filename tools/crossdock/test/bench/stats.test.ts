import { describe, expect, it } from 'vitest';
import {
  formatPercent,
  formatRatio,
  formatSeconds,
  median,
  min,
  overhead,
  ratio,
  sample,
  spread,
} from '../../../scripts/bench/stats';

describe('bench stats', () => {
  it.each([
    [[], Number.NaN, Number.NaN],
    [[5], 5, 5],
    [[3, 1, 2], 1, 2],
    [[4, 1, 3, 2], 1, 2.5],
    [[10, 10, 10], 10, 10],
  ])('min and median of %j', (values, expectedMin, expectedMedian) => {
    expect(min(values)).toEqual(expectedMin);
    expect(median(values)).toEqual(expectedMedian);
  });

  it('never reorders its argument', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
    expect(sample(values).runsMs).toEqual([3, 1, 2]);
  });

  it.each([
    [[100, 120, 110], [20, 25, 22], 5],
    [[10], [10], 1],
    [[10], [0], Number.NaN],
    [[], [10], Number.NaN],
  ])('ratio of medians %j / %j', (slow, fast, expected) => {
    const value = ratio(sample(slow), sample(fast));
    if (Number.isNaN(expected)) expect(value).toBeNaN();
    else expect(value).toBeCloseTo(expected, 10);
  });

  it.each([
    [[115], [100], 0.15],
    [[90], [100], -0.1],
    [[1], [0], Number.NaN],
  ])('overhead of %j over %j', (total, floor, expected) => {
    const value = overhead(sample(total), sample(floor));
    if (Number.isNaN(expected)) expect(value).toBeNaN();
    else expect(value).toBeCloseTo(expected, 10);
  });

  it.each([
    [843, '0.84 s'],
    [12_345, '12.3 s'],
    [288_400, '288 s'],
    [Number.NaN, '–'],
  ])('formatSeconds(%d) = %s', (ms, text) => expect(formatSeconds(ms)).toBe(text));

  it.each([
    [7.44, '7.4×'],
    [12.6, '13×'],
    [Number.NaN, '–'],
  ])('formatRatio(%d) = %s', (value, text) => expect(formatRatio(value)).toBe(text));

  it.each([
    [0.125, '+12.5 %'],
    [-0.03, '−3.0 %'],
    [22.2, '+2220 %'],
    [Number.POSITIVE_INFINITY, '–'],
  ])('formatPercent(%d) = %s', (value, text) => expect(formatPercent(value)).toBe(text));

  it.each([
    [[90, 100, 120], 0.3],
    [[50], 0],
    [[], Number.NaN],
  ])('spread of %j', (runs, expected) => {
    const value = spread(sample(runs));
    if (Number.isNaN(expected)) expect(value).toBeNaN();
    else expect(value).toBeCloseTo(expected, 10);
  });
});
