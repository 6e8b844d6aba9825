/** One bar: a label, a value, and an optional series (colour) and text printed after the bar. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly series?: string;
  /** Printed right of the bar; defaults to the value with `unit`. */
  readonly note?: string;
}

/** A horizontal bar chart: a title, bars in order (top to bottom), and the unit of the values. */
export interface BarChart {
  readonly title: string;
  readonly unit: string;
  readonly bars: readonly Bar[];
}

/** Colours of the series, in order of first appearance (colour-blind safe, after Okabe and Ito). */
export const SERIES_COLOURS = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
] as const;

const WIDTH = 760;
const BAR_HEIGHT = 18;
const GAP = 6;
const TOP = 40;
const CHAR_WIDTH = 6.6;

/** Escapes text for an SVG text node or attribute. */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function defaultNote(value: number, unit: string): string {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

/**
 * A self-contained SVG of horizontal bars, hand-written (no chart library): labels on the
 * left, bars scaled to the largest value, the value after each bar, and a legend when there
 * is more than one series. Non-finite or negative values draw no bar and print `n/a`.
 */
export function renderBarChart(chart: BarChart): string {
  const labelWidth = Math.ceil(
    Math.max(60, ...chart.bars.map((bar) => bar.label.length * CHAR_WIDTH)) + 12,
  );
  const noteWidth = Math.ceil(
    Math.max(
      48,
      ...chart.bars.map(
        (bar) => (bar.note ?? defaultNote(bar.value, chart.unit)).length * CHAR_WIDTH,
      ),
    ) + 8,
  );
  const plotWidth = Math.max(120, WIDTH - labelWidth - noteWidth - 16);
  const valid = (value: number) => Number.isFinite(value) && value >= 0;
  const largest = Math.max(
    0,
    ...chart.bars.filter((bar) => valid(bar.value)).map((bar) => bar.value),
  );
  const series = [...new Set(chart.bars.map((bar) => bar.series ?? ''))].filter(
    (name) => name !== '',
  );
  const colour = (name: string | undefined) =>
    SERIES_COLOURS[Math.max(0, series.indexOf(name ?? '')) % SERIES_COLOURS.length];
  const legendHeight = series.length > 1 ? 22 : 0;
  const height = TOP + chart.bars.length * (BAR_HEIGHT + GAP) + legendHeight + 12;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="8" y="22" font-size="15" font-weight="bold" fill="#222222">${escapeXml(chart.title)}</text>`,
  ];
  chart.bars.forEach((bar, i) => {
    const y = TOP + i * (BAR_HEIGHT + GAP);
    const width =
      valid(bar.value) && largest > 0 ? Math.max(1, (bar.value / largest) * plotWidth) : 0;
    const note = valid(bar.value) ? (bar.note ?? defaultNote(bar.value, chart.unit)) : 'n/a';
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + BAR_HEIGHT - 5}" text-anchor="end" fill="#222222">${escapeXml(bar.label)}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${colour(bar.series)}"/>`,
      `<text x="${(labelWidth + width + 6).toFixed(1)}" y="${y + BAR_HEIGHT - 5}" fill="#222222">${escapeXml(note)}</text>`,
    );
  });
  if (series.length > 1) {
    const y = TOP + chart.bars.length * (BAR_HEIGHT + GAP) + 8;
    let x = labelWidth;
    for (const name of series) {
      parts.push(
        `<rect x="${x}" y="${y}" width="12" height="12" fill="${colour(name)}"/>`,
        `<text x="${x + 16}" y="${y + 10}" fill="#222222">${escapeXml(name)}</text>`,
      );
      x += 28 + Math.ceil(name.length * CHAR_WIDTH);
    }
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
