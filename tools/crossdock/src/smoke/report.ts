import { formatDuration, formatTable } from '../support/report/format';
import { writeFileAtomically } from '../support/files/write-atomically';

/** How one platform's smoke run ended. */
export type SmokeStatus = 'passed' | 'failed' | 'skipped';

/** One platform's smoke run: a row of the table and an entry of dist/smoke/<project>.json. */
export interface PlatformSmokeResult {
  readonly platform: string;
  /** `native`, `emulated (qemu-aarch64-static)`, `skipped`, `not run`. */
  readonly mode: string;
  readonly status: SmokeStatus;
  /** Absent when the program did not run or did not finish (skipped, timed out, could not start). */
  readonly exitCode?: number;
  readonly durationMs?: number;
  readonly firstLine: string;
  /** The command line that ran, with the rootfs path as it was on this machine. */
  readonly command?: string;
  /** The pattern the output had to match (after {os}/{arch}/{variant} replacement). */
  readonly expect?: string;
  /** Why the platform failed or was skipped. */
  readonly message?: string;
}

/** The smoke run of one project's image: every platform's result. */
export interface SmokeReport {
  readonly project: string;
  /** Digest of the image index that was tested. */
  readonly indexDigest?: string;
  /** The platform of the machine that ran the smoke test. */
  readonly host: string;
  readonly smokeArgs: readonly string[];
  readonly results: readonly PlatformSmokeResult[];
  /** True when no platform failed (skipped platforms do not fail a local run). */
  readonly passed: boolean;
}

const FIRST_LINE_WIDTH = 72;

/**
 * The table printed at the end of a smoke run: platform, native or emulated, result, exit
 * code, time, first output line; then a summary line and every failure and skip reason.
 */
export function smokeTable(report: SmokeReport): string {
  const rows = report.results.map((r) => [
    r.platform,
    r.mode,
    r.status === 'failed' ? 'FAILED' : r.status,
    r.exitCode === undefined ? '-' : String(r.exitCode),
    r.durationMs === undefined ? '-' : formatDuration(r.durationMs),
    r.firstLine.length > FIRST_LINE_WIDTH
      ? `${r.firstLine.slice(0, FIRST_LINE_WIDTH - 3)}...`
      : r.firstLine,
  ]);
  const count = (status: SmokeStatus) => report.results.filter((r) => r.status === status).length;
  const skipped = count('skipped');
  const summary = report.passed
    ? `${report.project}: smoke passed for ${count('passed')} of ${report.results.length} platform(s)${skipped > 0 ? `, ${skipped} SKIPPED` : ''} (host ${report.host})`
    : `${report.project}: smoke FAILED for ${count('failed')} of ${report.results.length} platform(s) (host ${report.host})`;
  const notes = report.results
    .filter((r) => r.message !== undefined)
    .map((r) => `${r.status === 'skipped' ? 'SKIPPED' : 'FAILED'} ${r.platform}: ${r.message}`);
  return [
    summary,
    formatTable(['platform', 'run', 'result', 'exit', 'time', 'first output line'], rows),
    ...notes,
  ].join('\n');
}

/** The JSON of dist/smoke/<project>.json: the report in a fixed key order, times in whole milliseconds, with a final newline. */
export function smokeRecordJson(report: SmokeReport): string {
  const results = report.results.map((r) => ({
    platform: r.platform,
    mode: r.mode,
    status: r.status,
    exitCode: r.exitCode,
    durationMs: r.durationMs === undefined ? undefined : Math.round(r.durationMs),
    firstLine: r.firstLine,
    expect: r.expect,
    command: r.command,
    message: r.message,
  }));
  const record = {
    project: report.project,
    indexDigest: report.indexDigest,
    host: report.host,
    smokeArgs: report.smokeArgs,
    passed: report.passed,
    results,
  };
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** Writes the smoke record (absolute path) through a temporary file and a rename, so a reader never sees half of it. */
export async function writeSmokeRecord(path: string, report: SmokeReport): Promise<void> {
  await writeFileAtomically(path, smokeRecordJson(report));
}
