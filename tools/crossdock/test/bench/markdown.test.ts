import { describe, expect, it } from 'vitest';
import {
  BENCH_MARKERS,
  escapeCell,
  renderTable,
  replaceSection,
} from '../../../scripts/bench/markdown';

describe('bench markdown', () => {
  it('renders a padded table with right-aligned columns', () => {
    const text = renderTable({
      header: ['platform', 'time'],
      align: ['left', 'right'],
      rows: [
        ['linux/arm64', '7.4 s'],
        ['x', '12.0 s'],
      ],
    });
    expect(text.split('\n')).toEqual([
      '| platform    |   time |',
      '| ----------- | -----: |',
      '| linux/arm64 |  7.4 s |',
      '| x           | 12.0 s |',
    ]);
  });

  it('pads short rows and escapes pipes and newlines', () => {
    expect(renderTable({ header: ['a', 'b'], rows: [['x|y']] }).split('\n')[2]).toBe(
      '| x\\|y |     |',
    );
    expect(escapeCell('one\ntwo')).toBe('one two');
  });

  const title = { title: '# crossdock benchmarks', insertBefore: [/^<!-- scale/, /^## Scale/] };
  const scale = '<!-- scale:begin -->\n## Scale\n\nscale figures\n<!-- scale:end -->\n';

  it.each([
    [
      'an empty file',
      '',
      '# crossdock benchmarks\n\n<!-- bench:begin -->\nNEW\n<!-- bench:end -->\n',
    ],
    [
      'a file with the markers',
      '# t\n\n<!-- bench:begin -->\nOLD\n<!-- bench:end -->\n\n' + scale,
      '# t\n\n<!-- bench:begin -->\nNEW\n<!-- bench:end -->\n\n' + scale,
    ],
    [
      'only another section',
      '# t\n\n' + scale,
      '# t\n\n<!-- bench:begin -->\nNEW\n<!-- bench:end -->\n\n' + scale,
    ],
    [
      'other text, no section',
      '# t\n\nintro\n',
      '# t\n\nintro\n\n<!-- bench:begin -->\nNEW\n<!-- bench:end -->\n',
    ],
  ])('replaceSection into %s', (_name, document, expected) => {
    expect(replaceSection(document, BENCH_MARKERS, '\nNEW\n', title)).toBe(expected);
  });

  it('keeps everything outside the markers byte for byte', () => {
    const document = 'before\n<!-- bench:begin -->\nOLD\n<!-- bench:end -->\nafter ## Scale\n';
    const replaced = replaceSection(document, BENCH_MARKERS, 'NEW', title);
    expect(replaced).toBe(
      'before\n<!-- bench:begin -->\nNEW\n<!-- bench:end -->\nafter ## Scale\n',
    );
    expect(replaceSection(replaced, BENCH_MARKERS, 'NEW', title)).toBe(replaced);
  });
});
