import type { Machine } from './machine';
import { renderTable } from './markdown';
import type { CpuTiming } from './scale-timing';

/** The figures of one workspace size. */
export interface ScaleRow {
  readonly apps: number;
  /** Every project of the graph (apps, Go libraries, JS packages). */
  readonly projects: number;
  readonly graphCold: CpuTiming;
  readonly graphWarm: CpuTiming;
  readonly coldBuild: CpuTiming;
  readonly cachedBuild: CpuTiming;
  /** Image tasks the affected run rebuilt (= apps importing the touched library). */
  readonly affectedApps: number;
  readonly affectedBuild: CpuTiming;
}

/** How the scale benchmark was run, for the text around the table. */
export interface ScaleSetup {
  readonly platform: string;
  readonly parallel: number;
  readonly runs: number;
  readonly sharedLibraries: number;
  readonly machine: Machine;
  readonly totalSeconds: number;
}

/** The markers of the section the scale benchmark owns in BENCHMARKS.md. */
export const SCALE_MARKERS = { begin: '<!-- scale:begin -->', end: '<!-- scale:end -->' } as const;

const s = (seconds: number) => `${seconds.toFixed(1)} s`;
const ms = (seconds: number, per: number) => `${Math.round((seconds * 1000) / per)} ms`;
const perApp = (t: CpuTiming, per: number) =>
  t.cpuSeconds === undefined
    ? ms(t.wallSeconds, per)
    : `${ms(t.wallSeconds, per)} (cpu ${ms(t.cpuSeconds, per)})`;
/** CPU seconds when measured (steadier on a shared machine), else wall seconds. */
const cost = (t: CpuTiming) => t.cpuSeconds ?? t.wallSeconds;
const cell = (t: CpuTiming) =>
  t.cpuSeconds === undefined ? s(t.wallSeconds) : `${s(t.wallSeconds)} (cpu ${s(t.cpuSeconds)})`;

/** The "## Scale" section: how it was measured, the table with per-app ratios, and the growth from the smallest to the largest size. */
export function renderScaleSection(rows: readonly ScaleRow[], setup: ScaleSetup): string {
  const table = renderTable({
    header: [
      'apps',
      'projects',
      'project graph, cold',
      'per app',
      'project graph, warm',
      'run-many -t image, all cached',
      'per app',
      'affected after touching one shared lib',
      'per rebuilt app',
      'first build (all miss)',
      'per app',
    ],
    align: [
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
    ],
    rows: rows.map((r) => [
      String(r.apps),
      String(r.projects),
      cell(r.graphCold),
      perApp(r.graphCold, r.apps),
      cell(r.graphWarm),
      cell(r.cachedBuild),
      perApp(r.cachedBuild, r.apps),
      `${r.affectedApps} app${r.affectedApps === 1 ? '' : 's'}: ${cell(r.affectedBuild)}`,
      perApp(r.affectedBuild, Math.max(1, r.affectedApps)),
      cell(r.coldBuild),
      perApp(r.coldBuild, r.apps),
    ]),
  });
  const m = setup.machine;
  const lines = [
    '## Scale',
    '',
    `Written by \`node -r @swc-node/register tools/scripts/bench/scale.ts --sizes=${rows.map((r) => r.apps).join(',')}\` on ${m.date} in ${s(setup.totalSeconds)}.`,
    `Each size is a temporary git repository holding a copy of this workspace without the sample apps, plus N Go services made by`,
    `the real app generator (\`@crossdock/nx:app\`, platform ${setup.platform} only) that share ${setup.sharedLibraries} small libraries round robin,`,
    'buildinfo (all) and httpx (every second app). No daemon (`NX_DAEMON=false`), local cache only, `--parallel=' +
      `${setup.parallel}\`.`,
    '',
    '- **project graph, cold**: `nx show projects` with `.nx/workspace-data` deleted first (createNodes and createDependencies over every file);',
    "  **warm**: the same with Nx's file map kept (createDependencies reads only changed files).",
    '- **run-many -t image, all cached**: every compile and image task is a local cache hit.',
    "- **affected**: one shared library's exported value edited (uncommitted), then `nx affected -t image --base=HEAD`:",
    '  only the apps importing it rebuild (compile and image).',
    `- Wall time, median of ${setup.runs} (the affected run and the first build once); "cpu" is user+system time of the nx process and its children (GNU time).`,
    `- Machine: ${m.cores} cores (${m.cpuModel}), ${m.goVersion}, Node ${m.nodeVersion}, Nx ${m.nxVersion}; 1-minute load average ${m.loadAtStart.toFixed(1)} at the start,`,
    `  ${m.loadAtEnd?.toFixed(1) ?? '–'} at the end: other jobs shared the machine, so wall times are slower and noisier than the CPU times.`,
    '',
    table,
  ];
  if (rows.length >= 2) {
    const [first, last] = [rows[0], rows[rows.length - 1]];
    const growth = (pick: (r: ScaleRow) => CpuTiming, per: (r: ScaleRow) => number) => {
      const ratio = (f: (t: CpuTiming) => number) =>
        (f(pick(last)) / per(last) / (f(pick(first)) / per(first))).toFixed(2);
      return `${ratio(cost)} (wall ${ratio((t) => t.wallSeconds)})`;
    };
    const apps = (r: ScaleRow) => r.apps;
    lines.push(
      '',
      `From ${first.apps} to ${last.apps} apps (${(last.apps / first.apps).toFixed(0)}× as many), the ${first.graphCold.cpuSeconds === undefined ? 'wall' : 'CPU'} time per app changes by a factor of` +
        ` ${growth((r) => r.graphCold, apps)} for the cold graph,` +
        ` ${growth((r) => r.cachedBuild, apps)} for the fully cached run-many,` +
        ` ${growth(
          (r) => r.affectedBuild,
          (r) => Math.max(1, r.affectedApps),
        )} per rebuilt app for the affected run,` +
        ` ${growth((r) => r.coldBuild, apps)} for the first build` +
        ' (1.00 = exactly linear growth; below 1, fixed costs such as starting Nx are spread over more apps).',
    );
  }
  return lines.join('\n');
}
