import { countOutcomes, type MutationResult } from './harness';
import { repositoryOf } from './repositories';

/** A markdown table of the harness results per repository and file kind, with the totals. */
export function harnessTable(results: readonly MutationResult[]): string {
  const groups = new Map<string, MutationResult[]>();
  for (const result of results) {
    const key = `${repositoryOf(result.file)}\u0000${result.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  const rows = [
    '| repository | files | mutations | task checks | rebuilt | cache hits | stale | over-built | failed |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [key, group] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [repository, kind] = key.split('\u0000');
    rows.push(row(repository, kind, group));
  }
  rows.push(row('**all**', '', results));
  return rows.join('\n');
}

function row(repository: string, kind: string, results: readonly MutationResult[]): string {
  const c = countOutcomes(results);
  return `| ${repository} | ${kind} | ${c.mutations} | ${c.pairs} | ${c.rebuilt} | ${c.hits} | ${c.stale} | ${c.overBuilt} | ${c.failed} |`;
}

/** The (file, task) pairs that were stale or over-built, one line each, for the reader to check. */
export function harnessFindings(results: readonly MutationResult[]): string[] {
  const lines: string[] = [];
  for (const result of results) {
    if (result.failure !== undefined)
      lines.push(`FAILED  ${result.file}: ${result.failure.split('\n').pop()}`);
    for (const o of result.outcomes) {
      if (!o.reran && o.bytesChanged) lines.push(`STALE   ${result.file} → ${o.task}`);
      if (o.reran && !o.bytesChanged) lines.push(`OVER    ${result.file} → ${o.task}`);
    }
  }
  return lines;
}
