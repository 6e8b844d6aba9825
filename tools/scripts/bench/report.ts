import type { NamedChart } from './charts';
import { renderTable } from './markdown';
import type { Machine } from './machine';
import {
  emulationTable,
  enginesTable,
  overheadTable,
  sizesTable,
  targetsTable,
  workspaceTable,
} from './report-tables';
import type { BenchResults } from './results';
import { formatSeconds, spread } from './stats';
import { checkTargets } from './targets';

const formatShare = (share: number) =>
  Number.isFinite(share) ? `${(share * 100).toFixed(0)} %` : '–';

/** The title BENCHMARKS.md starts with when `npm run bench` creates it. */
export const BENCHMARKS_TITLE = '# crossdock benchmarks';

function machineTable(machine: Machine): string {
  return renderTable({
    header: ['machine', ''],
    rows: [
      ['cores', `${machine.cores} (${machine.cpuModel})`],
      ['memory', `${machine.memoryGiB} GiB`],
      ['kernel', machine.kernel],
      ['Go', `${machine.goVersion} (${machine.goroot})`],
      ['Node / Nx', `${machine.nodeVersion} / Nx ${machine.nxVersion}`],
      ['Docker', machine.docker],
      ['QEMU', machine.qemu],
      [
        'load',
        `1-minute load average ${machine.loadAtStart.toFixed(1)} at the start, ${machine.loadAtEnd?.toFixed(1) ?? '–'} at the end (2 cores: other work on the machine during the run makes every figure slower and noisier)`,
      ],
    ],
  });
}

function image(chart: NamedChart, chartDir: string): string {
  return `![${chart.alt}](${chartDir}/${chart.file})`;
}

/** A note for a scenario without figures: why (its error), or that this invocation left it out. */
function missing(results: BenchResults, scenario: string, present: boolean): string[] {
  const error = results.errors[scenario];
  if (error !== undefined) return [`**Not measured in this run**: ${error}`, ''];
  return present ? [] : ['_Not run in this invocation (`--only`)._', ''];
}

/**
 * The body of the benchmark sections of BENCHMARKS.md (between the bench markers): how it
 * was run, the machine, the targets, one section per scenario with its table and chart.
 * `chartDir` is the charts' directory relative to the markdown file.
 */
export function renderReport(
  results: BenchResults,
  charts: readonly NamedChart[],
  chartDir: string,
): string {
  const chart = (file: string) =>
    charts.filter((entry) => entry.file === file).map((entry) => image(entry, chartDir));
  const lines: string[] = [
    `Written by \`npm run bench\` (tools/scripts/bench/main.ts) on ${results.machine.date}, in ${formatSeconds(results.totalMs)}` +
      `${results.quick ? ' — **quick run** (`--quick`: 1 run, fewer rows; not the published figures)' : ''}.` +
      ` Every figure is the wall time of whole processes; each is the min and median of ${results.runs} run${results.runs === 1 ? '' : 's'},` +
      ' and the runs of the compared commands alternate (run 1 of each, then run 2 of each...), so every ratio comes from the same run of this script.',
    '',
    '## Machine',
    '',
    machineTable(results.machine),
    '',
    '## Targets',
    '',
    targetsTable(checkTargets(results)),
    '',
    '## crossdock against the naive emulated build',
    '',
    ...missing(results, 'emulation', results.emulation !== undefined),
  ];
  const emulation = results.emulation;
  if (emulation !== undefined) {
    lines.push(
      'The app `hello` (net/http service, stdlib only), both sides cold (empty Go build cache), same sources, same `go build` flags (crossdock\'s: `-trimpath -buildvcs=false -ldflags="-s -w -X …Version=1.0.0"`, CGO_ENABLED=0, GOARM=7 for arm/v7).',
      '',
      "- **crossdock**: `nx run hello:image --skip-nx-cache` in a copy of the workspace whose hello builds only that platform, with an empty GOCACHE and no dist/: the real pipeline (cross-compile with the host Go, ELF preflight, build context, builtin engine writing the OCI layout), plus Nx's own start-up.",
      emulation.method === 'docker'
        ? `- **naive docker build**: \`DOCKER_BUILDKIT=1 docker build --platform <P> --no-cache\` of a Dockerfile whose build stage is \`FROM ${emulation.golangImage}\` (busybox plus the Go toolchain of that architecture), \`COPY . /src\`, \`RUN CGO_ENABLED=0 GOCACHE=/tmp/gocache go build …\`, then \`FROM scratch\` + \`COPY --from=build\` of the binary. For a foreign platform that RUN executes under QEMU (binfmt_misc); for linux/amd64 it runs natively, the reference row.`
        : `- **foreign go under qemu-user** (fallback: the docker route failed: ${emulation.fallbackReason ?? 'unknown'}): the foreign toolchain's own \`go build\`, started directly; binfmt_misc runs it and every compile/link child under qemu-user-static.`,
      `- Toolchains (${emulation.toolchains[0]?.version ?? ''}, the host's version): ${emulation.toolchains.map((t) => `linux-${t.arch}: ${t.source}`).join('; ')}.`,
      '',
      emulationTable(emulation),
      '',
      ...chart('emulation.svg'),
      '',
    );
  }
  lines.push(
    '## builtin engine against docker engine',
    '',
    ...missing(results, 'engines', results.engines !== undefined),
  );
  const engines = results.engines;
  if (engines !== undefined) {
    lines.push(
      'The image step alone: binaries compiled beforehand (untimed), then `nx run <app>:image --skip-nx-cache --excludeTaskDependencies` (only the image executor runs), with `--engine=docker` for the docker column. Both write the OCI layout at dist/images/<app>.',
      '',
      ...(engines.unavailable === undefined ? [] : [`**${engines.unavailable}**`, '']),
      enginesTable(engines),
      '',
      ...chart('engines.svg'),
      '',
    );
  }
  lines.push(
    '## Cold, fully cached and affected-only',
    '',
    ...missing(results, 'workspace', results.workspace !== undefined),
  );
  const workspace = results.workspace;
  if (workspace !== undefined) {
    lines.push(
      `The whole sample workspace in a temporary copy: ${workspace.projects.join(', ')}, ${workspace.builds} app×platform builds, \`--parallel=${workspace.parallel}\`. Cold = no dist/, no .nx (task cache and project graph), an empty GOCACHE. Fully cached = the same command again. Affected-only = a comment line appended to \`${workspace.affectedFile}\` (library ${workspace.affectedLibrary}; \`nx show projects --affected --base=HEAD\` then lists ${workspace.affectedProjects.map((p) => `\`${p}\``).join(', ')}), then \`nx affected -t image --base=HEAD\` with the GOCACHE of the cold run.`,
      '',
      workspaceTable(workspace),
      '',
      ...chart('workspace.svg'),
      '',
    );
  }
  lines.push(
    '## Image assembly overhead against bare `go build`',
    '',
    ...missing(results, 'workspace', workspace !== undefined),
  );
  if (workspace !== undefined) {
    lines.push(
      `The floor is the bare compile: the same \`go build\` commands crossdock's compile executor runs (the plugin's own argument and environment builders), one per app and platform (${workspace.builds}), ${workspace.parallel} at a time as Nx runs tasks, nothing else. Overhead = (\`nx run-many -t image\` − bare compile) / bare compile, of the medians: it is what Nx (project graph, hashing, cache writes) and image assembly (preflight, context, layers, manifests, index, SBOMs) add. The empty-GOCACHE row is the realistic CI case and the one the target refers to; the warm row shows the fixed cost when compiling is nearly free.`,
      '',
      overheadTable(workspace),
      '',
      `Run-to-run spread, (max − min) / median: bare cold ${formatShare(spread(workspace.bareCold))}, run-many cold ${formatShare(spread(workspace.cold))}; a difference between the medians smaller than that is noise on this machine.`,
      '',
    );
  }
  lines.push('## Image sizes', '', ...missing(results, 'sizes', results.sizes !== undefined));
  if (results.sizes !== undefined) {
    lines.push(
      'Stored size of each platform image in the OCI layout crossdock writes (config + compressed layers, what a registry holds and a pull downloads; the manifest itself excluded).',
      '',
      sizesTable(results.sizes),
      '',
    );
  }
  lines.push(
    '## Reproduce',
    '',
    '```',
    'npm run bench                                   # everything, 3 runs each (over an hour on 2 cores: the emulated builds dominate)',
    'npm run bench -- --quick                        # 1 run, fewer rows; like --only, writes tmp/bench/ unless --out is given',
    'npm run bench -- --only=workspace,sizes --runs=5',
    'npm run bench -- --render=tmp/bench/results-<date>.json   # rewrite this file from a saved run, measuring nothing',
    '```',
    '',
    'Needs Go, Docker with BuildKit and the test registry at 127.0.0.1:5000 with `busybox:latest` (tools/scripts/setup-engines.sh, build-busybox-base.sh), and qemu-user-static with binfmt_misc. The foreign Go toolchains are fetched once into /var/cache/crossdock/toolchains.',
  );
  return lines.join('\n');
}
