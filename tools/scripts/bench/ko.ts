// `npm run bench -- --only=ko [--runs=N] [--quick-runs=N] [--rows=cold,edit,unchanged] [--no-write]` (or
// `node -r @swc-node/register tools/scripts/bench/ko.ts ...`): crossdock against ko on
// apps/hello. Writes tmp/bench/ko-<date>.json and, unless --no-write, its section of
// BENCHMARKS.md (between the ko markers; other sections are left alone).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { processRunner } from '../../crossdock/src/support/process/runner';
import { REPO_ROOT } from '../testing/workspace-copy';
import { readMachine, type Machine } from './machine';
import { renderTable, replaceSection, type Markers } from './markdown';
import { BENCHMARKS_TITLE } from './report';
import { PHASE_LABELS, PROFILE_PHASES } from './nx-profile';
import {
  KO_ROWS,
  runKo,
  type KoProfile,
  type KoResult,
  type KoRow,
  type KoRowResult,
  type KoRuns,
} from './scenario-ko';
import { formatSeconds, type Sample } from './stats';

/** The markers of the ko section of BENCHMARKS.md. */
export const KO_MARKERS: Markers = { begin: '<!-- ko:begin -->', end: '<!-- ko:end -->' };

/** The issue's goals: crossdock / ko at most this (and, for the unchanged run, under 1.5 s). */
export const KO_GOALS: Readonly<Record<KoRow, { ratio: number; underMs?: number }>> = {
  cold: { ratio: 1.0 },
  edit: { ratio: 1.0 },
  unchanged: { ratio: 0.5, underMs: 1500 },
};

const ROW_LABELS: Readonly<Record<KoRow, string>> = {
  cold: 'cold (empty GOCACHE, no dist/, no .nx)',
  edit: 'one line changed in libs/go/httpx',
  unchanged: 'nothing changed',
};

/** crossdock's median over ko's. */
function over(crossdock: Sample, ko: Sample): number {
  return crossdock.medianMs / ko.medianMs;
}

/** Whether a column meets its row's goal. */
export function meetsGoal(row: KoRow, crossdock: Sample, ko: Sample): boolean {
  const goal = KO_GOALS[row];
  return (
    over(crossdock, ko) <= goal.ratio + 1e-9 &&
    (goal.underMs === undefined || crossdock.medianMs < goal.underMs)
  );
}

function cell(sample: Sample): string {
  const max = Math.max(...sample.runsMs);
  return `${formatSeconds(sample.medianMs)} (${formatSeconds(sample.minMs)}–${formatSeconds(max)})`;
}

function goalText(row: KoRow): string {
  const goal = KO_GOALS[row];
  return `≤ ${goal.ratio.toFixed(1)}×${goal.underMs ? ` and < ${formatSeconds(goal.underMs)}` : ''}`;
}

/** The ko section of BENCHMARKS.md from one run's result. */
export function renderKoSection(
  result: KoResult,
  machine: Machine,
  runs: KoRuns,
  loadAtEnd: number,
): string {
  const rows = KO_ROWS.filter((row) => result.rows[row] !== undefined).map((row) => {
    const r = result.rows[row] as KoRowResult;
    const verdict = (sample: Sample) =>
      `${over(sample, r.ko).toFixed(2)}× ${meetsGoal(row, sample, r.ko) ? '**met**' : '**not met**'}`;
    return [
      ROW_LABELS[row],
      cell(r.ko),
      cell(r.crossdock),
      verdict(r.crossdock),
      cell(r.crossdockDaemon),
      verdict(r.crossdockDaemon),
      goalText(row),
      cell(r.goBuild),
      `${over(r.goBuild, r.ko).toFixed(2)}×`,
      r.nxAlone ? cell(r.nxAlone) : '',
    ];
  });
  const edit = result.rows.edit;
  const floorNote = edit
    ? [
        `The floor, edit row: the six \`go build\`s alone (the commands both tools run, two at a time, nothing around them) take ${formatSeconds(edit.goBuild.medianMs)} (${over(edit.goBuild, edit.ko).toFixed(2)}× of ko). ko's own share of its run is ${formatSeconds(Math.max(0, edit.ko.medianMs - edit.goBuild.medianMs))}; crossdock's is ${formatSeconds(Math.max(0, edit.crossdock.medianMs - edit.goBuild.medianMs))} without the daemon and ${formatSeconds(Math.max(0, edit.crossdockDaemon.medianMs - edit.goBuild.medianMs))} with it.` +
          (edit.nxAlone
            ? ` Nx by itself (\`nx run ${result.app}:bench-nx-alone\`, a no-op task, no daemon, after the same edit: Node and Nx start-up, the project graph, one task) takes ${formatSeconds(edit.nxAlone.medianMs)}; with the go builds that makes ${formatSeconds(edit.nxAlone.medianMs + edit.goBuild.medianMs)}, ${((edit.nxAlone.medianMs + edit.goBuild.medianMs) / edit.ko.medianMs).toFixed(2)}× of ko, before any image work: the least any tool that runs its builds as Nx tasks can take here, since both cores are busy during the builds (their CPU time is about twice their wall time), so nothing Nx does can hide behind them.`
            : ''),
        '',
      ]
    : [];
  const table = renderTable({
    header: [
      'run',
      'ko build (median, min–max)',
      'crossdock, no daemon (CI)',
      'crossdock / ko',
      'crossdock, Nx daemon on (a developer)',
      'crossdock / ko',
      'goal',
      'the six go builds alone',
      'go builds / ko',
      'Nx alone (no-op task)',
    ],
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'left', 'right', 'right', 'right'],
    rows,
  });
  return [
    '## crossdock against ko: the edit-rebuild loop',
    '',
    `apps/${result.app} for ${result.platforms.length} platforms (${result.platforms.join(', ')}), both tools on the same base (\`${result.base}\`: one one-file layer per platform, in the local registry, since ko reads its base only from a registry), the same flags (\`-trimpath -buildvcs=false -ldflags="${result.ldflags.join(' ')}"\`), each column with its own GOCACHE in the cold row (a new empty one per run) and the last of those afterwards (or one warm cache shared by all when the cold row is not run: every edit is new content, so sharing gains no column anything). ${runs.cold} interleaved runs of the cold row and ${runs.quick} of the edit and unchanged rows (run i of every column before run i+1 of any); ${machine.cores} cores, load ${machine.loadAtStart.toFixed(1)} at the start and ${loadAtEnd.toFixed(1)} at the end; ${machine.goVersion}, ${machine.nodeVersion}, Nx ${machine.nxVersion}, ko ${result.koVersion} (\`go install github.com/google/ko@${result.koVersion}\`), ${machine.date}.`,
    '',
    `- **ko**: \`ko build ./apps/${result.app} --platform=… --push=false --oci-layout-path=… --bare\` with a \`.ko.yaml\` naming the base and flags (ko's defaults otherwise, its SBOM included). ko relinks every binary and rebuilds every image on every run.`,
    `- **crossdock**: \`nx run ${result.app}:image\` (compile for each platform, preflight, image, SBOMs, with Nx's cache), with @crossdock/nx installed as a user has it (the package \`npm run package\` writes, in node_modules, not linked to the workspace's tools/crossdock: Nx loads TypeScript for a plugin inside the workspace, about 0.3 s per run); with \`NX_DAEMON=false\`, and with the Nx daemon on (started by the first run of the column and kept).`,
    `- **the six go builds alone**: crossdock's own \`go build\` commands for the ${result.platforms.length} platforms (its arguments and environment, GOGC=off with its GOMEMLIMIT and GOMAXPROCS as the batch gives them included; ko runs the same arguments with Go's defaults), two at a time, with their own GOCACHE as the columns above: the work no tool can skip, the floor under both.`,
    `- **Nx alone** (edit row): \`nx run ${result.app}:bench-nx-alone\`, Nx's \`nx:noop\` executor, no daemon, after the same edit: what Nx costs before any tool's work.`,
    `- Rows: cold = empty GOCACHE and, for crossdock, no dist/, no .nx (the daemon restarted) and an empty crossdock cache folder (\`CROSSDOCK_CACHE\`, where the builtin engine keeps each binary's last deflate pieces and the base's manifests and blobs); edit = a new line in \`${result.library}\` before each run (a response header whose value changes every time, so every binary changes, in a few places; every image depends on it; crossdock reuses the deflate pieces of the unchanged parts, ko compresses every layer whole; crossdock asks the registry only what the base's tag points at); nothing changed = the same command again.`,
    '',
    table,
    '',
    ...floorNote,
    ...(result.profile ? profileSection(result.profile) : []),
    `Reproduce: \`npm run bench -- --only=ko --runs=${runs.cold}${runs.quick === QUICK_RUNS_PER_RUN * runs.cold ? '' : ` --quick-runs=${runs.quick}`}\`.`,
  ].join('\n');
}

/** The "where the time goes" table: crossdock's phases per row and daemon mode. */
function profileSection(profile: KoProfile): string[] {
  const ms = (value: number) =>
    value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
  const columns = [
    profile.daemonOff.unchanged,
    profile.daemonOff.edit,
    profile.daemonOn.unchanged,
    profile.daemonOn.edit,
  ];
  return [
    "### Where crossdock's time goes",
    '',
    `The same command, run ${profile.runs} more time(s) per column with Nx's performance measures dumped at exit (tools/scripts/bench/perf-dump.cjs) and crossdock's own step times (the compile lines and the image's "time by step"); medians. Phases marked … are part of "executors"; go build is summed over the platforms, which run two at a time.`,
    '',
    renderTable({
      header: [
        'phase',
        'nothing changed, no daemon',
        'edit, no daemon',
        'nothing changed, daemon on',
        'edit, daemon on',
      ],
      align: ['left', 'right', 'right', 'right', 'right'],
      rows: PROFILE_PHASES.map((phase) => [
        PHASE_LABELS[phase],
        ...columns.map((column) => ms(column[phase])),
      ]),
    }),
    '',
  ];
}

/**
 * Runs of the edit and unchanged rows per run of the cold row, unless --quick-runs says: two
 * full runs of 5 each, 30 minutes apart with the same code, put the edit row at 1.02× and
 * 1.05× (daemon off), 0.95× and 1.02× (on); 20 runs of it alone put it at 0.96× and 0.95×.
 */
export const QUICK_RUNS_PER_RUN = 4;

/** The command line of the ko bench. */
export interface KoArgs {
  readonly runs: KoRuns;
  readonly rows: readonly KoRow[];
  readonly profileRuns: number;
  readonly write: boolean;
}

export function parseKoArgs(argv: readonly string[]): KoArgs {
  let runs = 3;
  let quickRuns: number | undefined;
  let rows: KoRow[] = [...KO_ROWS];
  let write = true;
  let profileRuns = 3;
  const usage = `usage: npm run bench -- --only=ko [--runs=N] [--quick-runs=N] [--rows=${KO_ROWS.join(',')}] [--profile-runs=N] [--no-write]`;
  // The number after `--name=`: whole, and at least `least`.
  const runCount = (argument: string, least: number): number => {
    const count = Number(argument.slice(argument.indexOf('=') + 1));
    if (!Number.isInteger(count) || count < least)
      throw new Error(
        `${argument}: expected a whole number of runs, ${least === 0 ? '0 or more' : `at least ${least}`}\n${usage}`,
      );
    return count;
  };
  for (const argument of argv) {
    if (argument === '--only=ko') continue;
    if (argument === '--no-write') write = false;
    else if (argument.startsWith('--runs=')) runs = runCount(argument, 1);
    else if (argument.startsWith('--quick-runs=')) quickRuns = runCount(argument, 1);
    else if (argument.startsWith('--profile-runs=')) profileRuns = runCount(argument, 0);
    else if (argument.startsWith('--rows=')) {
      const names = argument.slice('--rows='.length).split(',').filter(Boolean);
      const unknown = names.filter((name) => !(KO_ROWS as readonly string[]).includes(name));
      if (names.length === 0 || unknown.length > 0)
        throw new Error(`${argument}: rows are ${KO_ROWS.join(', ')}\n${usage}`);
      rows = names as KoRow[];
    } else throw new Error(`${argument}: unknown argument\n${usage}`);
  }
  return {
    runs: { cold: runs, quick: quickRuns ?? QUICK_RUNS_PER_RUN * runs },
    rows,
    profileRuns,
    write,
  };
}

export async function koMain(argv: readonly string[]): Promise<number> {
  const args = parseKoArgs(argv);
  const log = (line: string) =>
    process.stderr.write(`[bench ko ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const runner = processRunner;
  const machine = await readMachine(runner, REPO_ROOT);
  const registry = process.env['CROSSDOCK_REGISTRY'] ?? '127.0.0.1:5000';
  const warmGoCache = (await runner.run('go', ['env', 'GOCACHE'])).stdout.trim();
  const result = await runKo(runner, {
    runs: args.runs,
    rows: args.rows,
    profileRuns: args.profileRuns,
    registry,
    warmGoCache,
    log,
  });
  const loadAtEnd = loadavg()[0]!;
  mkdirSync(join(REPO_ROOT, 'tmp/bench'), { recursive: true });
  writeFileSync(
    join(REPO_ROOT, 'tmp/bench', `ko-${machine.date.replaceAll(':', '')}.json`),
    `${JSON.stringify({ machine: { ...machine, loadAtEnd }, runs: args.runs, result }, null, 2)}\n`,
  );
  const section = renderKoSection(result, machine, args.runs, loadAtEnd);
  process.stdout.write(`${section}\n`);
  if (args.write) {
    const file = join(REPO_ROOT, 'BENCHMARKS.md');
    const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
    writeFileSync(
      file,
      replaceSection(previous, KO_MARKERS, section, {
        title: BENCHMARKS_TITLE,
        insertBefore: [/^<!-- cgo/],
      }),
    );
    log(`wrote ${file}`);
  }
  return 0;
}

if (require.main === module) {
  koMain(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`bench ko: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
