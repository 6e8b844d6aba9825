import { formatBytes } from '../../crossdock/src/support/report/format';
import { renderTable, type Table } from './markdown';
import type { EmulationResult, EnginesResult, SizeRow, WorkspaceResult } from './results';
import { formatPercent, formatRatio, formatSeconds, overhead, ratio, type Sample } from './stats';
import { verdict, type TargetCheck } from './targets';

const cells = (sample: Sample) => [formatSeconds(sample.minMs), formatSeconds(sample.medianMs)];

/** The targets table: target, measured figure, met / not met. */
export function targetsTable(checks: readonly TargetCheck[]): string {
  return renderTable({
    header: ['target', 'measured (median)', 'verdict'],
    rows: checks.map((check) => [check.target, check.measured, `**${verdict(check)}**`]),
  });
}

/** crossdock against the naive emulated build, one row per platform. */
export function emulationTable(result: EmulationResult): string {
  const emulated = result.method === 'docker' ? 'naive docker build' : 'go under qemu-user';
  const table: Table = {
    header: [
      'platform',
      'crossdock min',
      'crossdock median',
      `${emulated} min`,
      `${emulated} median`,
      `${emulated} / crossdock`,
    ],
    align: ['left', 'right', 'right', 'right', 'right', 'right'],
    rows: result.rows.map((row) => [
      `${row.platform}${row.native ? ' (native reference)' : ''}`,
      ...cells(row.crossdock),
      ...cells(row.emulated),
      formatRatio(ratio(row.emulated, row.crossdock)),
    ]),
  };
  return renderTable(table);
}

/** builtin against docker engine, the image step alone, one row per app. */
export function enginesTable(result: EnginesResult): string {
  const table: Table = {
    header: [
      'app',
      'platforms',
      'builtin min',
      'builtin median',
      'docker min',
      'docker median',
      'docker / builtin',
    ],
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    rows: result.rows.map((row) => [
      row.project,
      String(row.platforms),
      ...cells(row.builtin),
      ...(row.docker
        ? [...cells(row.docker), formatRatio(ratio(row.docker, row.builtin))]
        : ['docker engine not available', '–', '–']),
    ]),
  };
  return renderTable(table);
}

/** Cold, fully cached and affected-only runs of the workspace. */
export function workspaceTable(result: WorkspaceResult): string {
  const table: Table = {
    header: ['run', 'command', 'min', 'median', 'cold / this'],
    align: ['left', 'left', 'right', 'right', 'right'],
    rows: [
      [
        'cold',
        '`nx run-many -t image` (no dist/, no .nx, empty GOCACHE)',
        ...cells(result.cold),
        formatRatio(1),
      ],
      [
        'fully cached',
        '`nx run-many -t image` again',
        ...cells(result.cached),
        formatRatio(ratio(result.cold, result.cached)),
      ],
      [
        `affected-only (${result.affectedLibrary} edited)`,
        '`nx affected -t image --base=HEAD`',
        ...cells(result.affected),
        formatRatio(ratio(result.cold, result.affected)),
      ],
    ],
  };
  return renderTable(table);
}

/** The bare compile floor against the whole pipeline, with a cold and a warm GOCACHE. */
export function overheadTable(result: WorkspaceResult): string {
  const table: Table = {
    header: [
      'GOCACHE',
      `bare \`go build\` ×${result.builds} min`,
      'median',
      '`nx run-many -t image` min',
      'median',
      'overhead (median)',
    ],
    align: ['left', 'right', 'right', 'right', 'right', 'right'],
    rows: [
      [
        'empty (CI)',
        ...cells(result.bareCold),
        ...cells(result.cold),
        formatPercent(overhead(result.cold, result.bareCold)),
      ],
      [
        'warm (`--skip-nx-cache`)',
        ...cells(result.bareWarm),
        ...cells(result.fullWarm),
        formatPercent(overhead(result.fullWarm, result.bareWarm)),
      ],
    ],
  };
  return renderTable(table);
}

/** Image sizes per app, base and platform. */
export function sizesTable(rows: readonly SizeRow[]): string {
  const table: Table = {
    header: ['app', 'base', 'platform', 'compressed size (config + layers)', 'layers'],
    align: ['left', 'left', 'left', 'right', 'right'],
    rows: rows.map((row) => [
      row.project,
      row.base,
      row.platform,
      `${formatBytes(row.bytes)} (${row.bytes} B)`,
      String(row.layers),
    ]),
  };
  return renderTable(table);
}
