// `node -r @swc-node/register tools/scripts/bench/cgo.ts [--runs=N]`: the cgo benchmark
// (apps/notes for linux/arm64: crossdock with zig against the emulated docker build with a C
// compiler under QEMU). Writes tmp/bench/cgo-<date>.json and its section of BENCHMARKS.md
// (between the cgo markers; other sections are left alone).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { processRunner } from '../../crossdock/src/support/process/runner';
import { ZIG_VERSION } from '../../crossdock/src/go/cgo/zig';
import { REPO_ROOT } from '../testing/workspace-copy';
import { readMachine, type Machine } from './machine';
import { renderTable, replaceSection, type Markers } from './markdown';
import { BENCHMARKS_TITLE } from './report';
import { runCgo, type CgoResult } from './scenario-cgo';
import { formatRatio, formatSeconds, ratio } from './stats';

/** The markers of the cgo section of BENCHMARKS.md. */
export const CGO_MARKERS: Markers = { begin: '<!-- cgo:begin -->', end: '<!-- cgo:end -->' };

/** The cgo section of BENCHMARKS.md from one run's result (`loadAtEnd`: the 1-minute load when the runs ended). */
export function renderCgoSection(
  result: CgoResult,
  machine: Machine,
  runs: number,
  loadAtEnd: number,
): string {
  const table = renderTable({
    header: ['platform', 'build', 'min', 'median'],
    align: ['left', 'left', 'right', 'right'],
    rows: [
      [
        result.platform,
        'crossdock (zig cross-compile + image)',
        formatSeconds(result.crossdock.minMs),
        formatSeconds(result.crossdock.medianMs),
      ],
      [
        result.platform,
        'emulated docker build (go + gcc under QEMU)',
        formatSeconds(result.emulated.minMs),
        formatSeconds(result.emulated.medianMs),
      ],
    ],
  });
  return [
    '## cgo: crossdock with zig against the emulated build',
    '',
    `apps/notes (SQLite through mattn/go-sqlite3: the SQLite amalgamation, ~9 MB of C, compiled by cgo) for ${result.platform}, cold: empty Go build cache on both sides; ${runs === 1 ? '1 run' : `${runs} interleaved runs`}; ${machine.cores} cores, load ${machine.loadAtStart.toFixed(1)} at the start and ${loadAtEnd.toFixed(1)} at the end; ${machine.goVersion}, zig ${ZIG_VERSION}, ${machine.date}.`,
    '',
    `- **crossdock**: \`nx run notes:image --skip-nx-cache\` (notes built for ${result.platform} only), empty GOCACHE and no dist/, zig's cache warm (the machine's, as after \`tools/scripts/setup-test-env.sh\` or a CI cache restore): cross-compile with \`zig cc ${result.zigTarget}\`, static link, preflight, image.`,
    `- **emulated**: \`DOCKER_BUILDKIT=1 docker build --platform ${result.platform} --no-cache\` of the Dockerfile a team writes without crossdock: the build stage is \`FROM ${result.emulatedImage}\` (a \`golang:bookworm\` for the target: Debian bookworm's gcc and libc6-dev for arm64 made by mmdebstrap, the ${result.platform} Go toolchain), \`COPY . /src\` (modules vendored), \`RUN CGO_ENABLED=1 CC=gcc GOCACHE=/tmp/gocache go build …\` with crossdock's flags and static link: go, cgo and gcc all run under qemu-aarch64. The image is made without a RUN step, before the timed runs.`,
    '',
    table,
    '',
    `**The emulated cgo build takes ${formatRatio(ratio(result.emulated, result.crossdock))} as long as crossdock's** (medians). Reproduce: \`node -r @swc-node/register tools/scripts/bench/cgo.ts --runs=${runs}\` (needs mmdebstrap the first time, for the Debian root file system kept in /var/cache/crossdock/bench).`,
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const runsArg = argv.find((arg) => arg.startsWith('--runs='));
  const runs = runsArg ? Number(runsArg.slice('--runs='.length)) : 1;
  if (!Number.isInteger(runs) || runs < 1 || argv.some((arg) => !arg.startsWith('--runs=')))
    throw new Error('usage: cgo.ts [--runs=N]');
  const log = (line: string) =>
    process.stderr.write(`[bench cgo ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const runner = processRunner;
  const machine = await readMachine(runner, REPO_ROOT);
  const result = await runCgo(runner, {
    runs,
    goVersion: machine.goVersion,
    hostGoroot: machine.goroot,
    log,
  });
  const loadAtEnd = loadavg()[0]!;
  mkdirSync(join(REPO_ROOT, 'tmp/bench'), { recursive: true });
  writeFileSync(
    join(REPO_ROOT, 'tmp/bench', `cgo-${machine.date.replaceAll(':', '')}.json`),
    `${JSON.stringify({ machine: { ...machine, loadAtEnd }, runs, result }, null, 2)}\n`,
  );
  const file = join(REPO_ROOT, 'BENCHMARKS.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(
    file,
    replaceSection(previous, CGO_MARKERS, renderCgoSection(result, machine, runs, loadAtEnd), {
      title: BENCHMARKS_TITLE,
      insertBefore: [/^<!-- scale/],
    }),
  );
  log(
    `wrote ${file}: crossdock ${formatSeconds(result.crossdock.medianMs)}, emulated ${formatSeconds(result.emulated.medianMs)}`,
  );
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`bench cgo: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
