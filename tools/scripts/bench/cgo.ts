// `node -r @swc-node/register tools/scripts/bench/cgo.ts [--runs=N]`: the cgo benchmark
// (apps/notes for linux/arm64: crossdock with zig against the emulated docker build with a C
// compiler under QEMU). Writes tmp/bench/cgo-<date>.json and its section of BENCHMARKS.md
// (between the cgo markers; other sections are left alone).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { execaRunner } from '../../crossdock/src/process/runner';
import { ZIG_VERSION } from '../../crossdock/src/cgo/zig';
import { REPO_ROOT } from '../testing/workspace-copy';
import { readMachine, type Machine } from './machine';
import { renderTable, replaceSection, type Markers } from './markdown';
import { BENCHMARKS_TITLE } from './report';
import { runCgo, type CgoResult } from './scenario-cgo';
import { formatRatio, formatSeconds, ratio } from './stats';

/** The markers of the cgo section of BENCHMARKS.md. */
export const CGO_MARKERS: Markers = { begin: '<!-- cgo:begin -->', end: '<!-- cgo:end -->' };

/** The cgo section of BENCHMARKS.md from one run's result. */
export function renderCgoSection(result: CgoResult, machine: Machine, runs: number): string {
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
        'emulated docker build (go + zig under QEMU)',
        formatSeconds(result.emulated.minMs),
        formatSeconds(result.emulated.medianMs),
      ],
    ],
  });
  return [
    '## cgo: crossdock with zig against the emulated build',
    '',
    `apps/notes (SQLite through mattn/go-sqlite3: the SQLite amalgamation, ~9 MB of C, compiled by cgo) for ${result.platform}, cold: empty Go build cache on both sides; ${runs} run(s); ${machine.cores} cores, ${machine.goVersion}, zig ${ZIG_VERSION}, ${machine.date}, load ${machine.loadAtStart.toFixed(1)} at the start.`,
    '',
    `- **crossdock**: \`nx run notes:image --skip-nx-cache\` (notes built for ${result.platform} only), empty GOCACHE and no dist/, zig's cache warm (the machine's, as after \`tools/scripts/setup-test-env.sh\` or a CI cache restore): cross-compile with \`zig cc -target aarch64-linux-musl\`, static link, preflight, image.`,
    `- **emulated**: \`DOCKER_BUILDKIT=1 docker build --platform ${result.platform} --no-cache\` of a Dockerfile whose build stage is \`FROM ${result.emulatedImage}\` (busybox, the linux/arm64 Go toolchain and the linux/arm64 zig ${ZIG_VERSION} as its C compiler: the same compiler and flags), \`COPY . /src\` (modules vendored), \`RUN CGO_ENABLED=1 CC="zig cc -target aarch64-linux-musl" GOCACHE=/tmp/gocache go build …\`: go, cgo and the C compiler all run under qemu-aarch64. ${result.emulatedZigCacheSeeded ? "Its zig cache was seeded with the host's, so it builds no libc either." : "The image carries a copy of the host's zig cache, but the aarch64 zig does not reuse it: the timed run also builds zig's musl for the target under QEMU (a gcc-based image would have its libc prebuilt)."}`,
    '',
    table,
    '',
    `**The emulated cgo build takes ${formatRatio(ratio(result.emulated, result.crossdock))} as long as crossdock's** (medians). Reproduce: \`node -r @swc-node/register tools/scripts/bench/cgo.ts --runs=${runs}\`.`,
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const runsArg = argv.find((arg) => arg.startsWith('--runs='));
  const runs = runsArg ? Number(runsArg.slice('--runs='.length)) : 1;
  if (!Number.isInteger(runs) || runs < 1 || argv.some((arg) => !arg.startsWith('--runs=')))
    throw new Error('usage: cgo.ts [--runs=N]');
  const log = (line: string) =>
    process.stderr.write(`[bench cgo ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const runner = execaRunner;
  const registry = process.env['CROSSDOCK_REGISTRY'] ?? '127.0.0.1:5000';
  const machine = await readMachine(runner, REPO_ROOT);
  const result = await runCgo(runner, {
    runs,
    goVersion: machine.goVersion,
    hostGoroot: machine.goroot,
    baseImage: `${registry}/busybox:latest`,
    registry,
    log,
  });
  mkdirSync(join(REPO_ROOT, 'tmp/bench'), { recursive: true });
  writeFileSync(
    join(REPO_ROOT, 'tmp/bench', `cgo-${machine.date.replaceAll(':', '')}.json`),
    `${JSON.stringify({ machine: { ...machine, loadAtEnd: loadavg()[0] }, runs, result }, null, 2)}\n`,
  );
  const file = join(REPO_ROOT, 'BENCHMARKS.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(
    file,
    replaceSection(previous, CGO_MARKERS, renderCgoSection(result, machine, runs), {
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
