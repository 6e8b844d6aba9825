import { describe, expect, it } from 'vitest';
import { escapeXml, renderBarChart, SERIES_COLOURS } from '../../../scripts/bench/svg-chart';

function bars(svg: string): { width: number; fill: string }[] {
  return [
    ...svg.matchAll(
      /<rect x="\d+" y="\d+" width="([\d.]+)" height="18" fill="(#[0-9A-Fa-f]{6})"\/>/g,
    ),
  ].map((m) => ({ width: Number(m[1]), fill: m[2] }));
}

describe('bench svg chart', () => {
  it('scales bars to the largest value and labels them', () => {
    const svg = renderBarChart({
      title: 'T',
      unit: 's',
      bars: [
        { label: 'fast', value: 10 },
        { label: 'slow', value: 40 },
      ],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const [fast, slow] = bars(svg);
    expect(slow.width / fast.width).toBeCloseTo(4, 1);
    expect(svg).toContain('>fast</text>');
    expect(svg).toContain('>40.0 s</text>');
  });

  it.each([
    [Number.NaN, 'n/a'],
    [-1, 'n/a'],
  ])('draws no bar for %d and prints %s', (value, note) => {
    const svg = renderBarChart({
      title: 'T',
      unit: 's',
      bars: [
        { label: 'x', value },
        { label: 'y', value: 2 },
      ],
    });
    expect(bars(svg)[0].width).toBe(0);
    expect(svg).toContain(`>${note}</text>`);
  });

  it('colours series in order and adds a legend only for several series', () => {
    const two = renderBarChart({
      title: 'T',
      unit: 's',
      bars: [
        { label: 'a', value: 1, series: 'crossdock' },
        { label: 'b', value: 2, series: 'emulated' },
        { label: 'c', value: 3, series: 'crossdock' },
      ],
    });
    expect(bars(two).map((bar) => bar.fill)).toEqual([
      SERIES_COLOURS[0],
      SERIES_COLOURS[1],
      SERIES_COLOURS[0],
    ]);
    expect(two).toContain('>emulated</text>');
    const one = renderBarChart({
      title: 'T',
      unit: 's',
      bars: [{ label: 'a', value: 1, series: 'only' }],
    });
    expect(one).not.toContain('>only</text>');
  });

  it('escapes text', () => {
    expect(escapeXml('a < b & "c" > d')).toBe('a &lt; b &amp; &quot;c&quot; &gt; d');
    expect(renderBarChart({ title: '<x>', unit: 's', bars: [] })).toContain('>&lt;x&gt;</text>');
  });
});
