import type { BenchResults } from './results';
import { formatSeconds, type Sample } from './stats';
import type { Bar, BarChart } from './svg-chart';

/** A chart and the file name it is written to under docs/bench/. */
export interface NamedChart {
  readonly file: string;
  readonly alt: string;
  readonly chart: BarChart;
}

function bar(label: string, sample: Sample, series: string): Bar {
  return { label, value: sample.medianMs / 1000, series, note: formatSeconds(sample.medianMs) };
}

/** The charts of a run (medians, seconds): emulation, workspace runs, engines; only those with data. */
export function chartsFor(results: BenchResults): NamedChart[] {
  const charts: NamedChart[] = [];
  const emulation = results.emulation;
  if (emulation !== undefined && emulation.rows.length > 0) {
    const emulatedName =
      emulation.method === 'docker'
        ? 'naive docker build (QEMU for foreign platforms)'
        : 'foreign go under qemu-user';
    charts.push({
      file: 'emulation.svg',
      alt: 'crossdock against the naive emulated build, median seconds per platform',
      chart: {
        title: `hello, cold build per platform: crossdock vs naive emulated (median of ${results.runs}, seconds)`,
        unit: 's',
        bars: emulation.rows.flatMap((row) => [
          bar(`${row.platform} crossdock`, row.crossdock, 'crossdock (cross-compile + image)'),
          bar(`${row.platform} ${row.native ? 'native' : 'emulated'}`, row.emulated, emulatedName),
        ]),
      },
    });
  }
  const workspace = results.workspace;
  if (workspace !== undefined) {
    charts.push({
      file: 'workspace.svg',
      alt: 'nx run-many -t image: cold, fully cached, affected-only, and the bare go build floor',
      chart: {
        title: `sample workspace, ${workspace.builds} app×platform builds (median of ${results.runs}, seconds)`,
        unit: 's',
        bars: [
          bar('bare go build, cold', workspace.bareCold, 'bare go build'),
          bar('run-many, cold', workspace.cold, 'crossdock (nx run-many / affected -t image)'),
          bar('bare go build, warm', workspace.bareWarm, 'bare go build'),
          bar(
            'run-many, warm GOCACHE',
            workspace.fullWarm,
            'crossdock (nx run-many / affected -t image)',
          ),
          bar('affected-only', workspace.affected, 'crossdock (nx run-many / affected -t image)'),
          bar('fully cached', workspace.cached, 'crossdock (nx run-many / affected -t image)'),
        ],
      },
    });
  }
  const engines = results.engines;
  if (engines !== undefined && engines.unavailable === undefined && engines.rows.length > 0) {
    charts.push({
      file: 'engines.svg',
      alt: 'image step alone: builtin engine against docker engine',
      chart: {
        title: `image step alone, builtin vs docker engine (median of ${results.runs}, seconds)`,
        unit: 's',
        bars: engines.rows.flatMap((row) => [
          bar(`${row.project} builtin`, row.builtin, 'builtin'),
          ...(row.docker ? [bar(`${row.project} docker`, row.docker, 'docker')] : []),
        ]),
      },
    });
  }
  return charts;
}
