/** Text alignment of one markdown table column. */
export type Align = 'left' | 'right';

/** A markdown table: a header row, body rows of cells, and an alignment per column. */
export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly align?: readonly Align[];
}

/** Escapes what would break a table cell (pipes, newlines). */
export function escapeCell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll(/\r?\n/g, ' ');
}

/**
 * A GitHub-flavoured markdown table, columns padded to equal width so the source reads
 * as a table too. Rows shorter than the header are padded with empty cells.
 */
export function renderTable(table: Table): string {
  const columns = table.header.length;
  const cells = [table.header, ...table.rows].map((row) =>
    Array.from({ length: columns }, (_, i) => escapeCell(row[i] ?? '')),
  );
  const widths = Array.from({ length: columns }, (_, i) =>
    Math.max(3, ...cells.map((row) => [...row[i]].length)),
  );
  const pad = (text: string, i: number) => {
    const gap = ' '.repeat(widths[i] - [...text].length);
    return table.align?.[i] === 'right' ? gap + text : text + gap;
  };
  const line = (row: readonly string[]) => `| ${row.map(pad).join(' | ')} |`;
  const rule = `| ${widths.map((width, i) => (table.align?.[i] === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

/** The HTML comments that delimit a section of a shared markdown file owned by one writer. */
export interface Markers {
  readonly begin: string;
  readonly end: string;
}

/** The markers of the sections `npm run bench` writes in BENCHMARKS.md. */
export const BENCH_MARKERS: Markers = { begin: '<!-- bench:begin -->', end: '<!-- bench:end -->' };

/**
 * `document` with the text between `markers` replaced by `body` (markers kept). Without
 * markers, the block is inserted before the first line of `insertBefore` (e.g. another
 * writer's section) or appended; an empty document gets `title` first. Everything outside
 * the markers is left as it was.
 */
export function replaceSection(
  document: string,
  markers: Markers,
  body: string,
  options: { title: string; insertBefore?: readonly RegExp[] },
): string {
  const block = `${markers.begin}\n${body.trim()}\n${markers.end}`;
  const begin = document.indexOf(markers.begin);
  const end = document.indexOf(markers.end, begin + 1);
  if (begin >= 0 && end > begin)
    return document.slice(0, begin) + block + document.slice(end + markers.end.length);
  if (document.trim() === '') return `${options.title}\n\n${block}\n`;
  const lines = document.split('\n');
  const at = lines.findIndex((line) =>
    (options.insertBefore ?? []).some((pattern) => pattern.test(line)),
  );
  if (at < 0) return `${document.trimEnd()}\n\n${block}\n`;
  const before = lines.slice(0, at).join('\n').trimEnd();
  const after = lines.slice(at).join('\n');
  return `${before}\n\n${block}\n\n${after}`;
}
