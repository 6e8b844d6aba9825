import { describe, expect, it } from 'vitest';
import { parseScaleArgs } from '../../../scripts/bench/scale-args';
import {
  renderScaleSection,
  SCALE_MARKERS,
  type ScaleRow,
} from '../../../scripts/bench/scale-report';
import { BENCH_MARKERS, replaceSection } from '../../../scripts/bench/markdown';
import type { Machine } from '../../../scripts/bench/machine';

const machine: Machine = {
  cores: 2,
  cpuModel: 'test cpu',
  memoryGiB: 8,
  kernel: 'Linux 6',
  goVersion: 'go1.26.8',
  goroot: '/usr/local/go',
  nodeVersion: 'v20.20.2',
  nxVersion: '22.7.12',
  docker: 'not available',
  qemu: 'not available',
  date: '2026-11-28T00:00:00Z',
  loadAtStart: 1,
  loadAtEnd: 2,
};

const t = (wallSeconds: number, cpuSeconds?: number) => ({ wallSeconds, cpuSeconds });
const row = (apps: number, k: number): ScaleRow => ({
  apps,
  projects: apps + 10,
  graphCold: t(2 + apps * 0.01 * k, 1),
  graphWarm: t(1.5),
  coldBuild: t(apps),
  cachedBuild: t(2 + apps * 0.02),
  affectedApps: Math.ceil(apps / 3),
  affectedBuild: t(3 + apps * 0.1),
});

describe('scale benchmark', () => {
  it.each([
    [
      [],
      {
        sizes: [10, 50, 200],
        runs: 3,
        platform: 'linux/amd64',
        parallel: 4,
        write: true,
        keep: false,
      },
    ],
    [
      [
        '--sizes=10,50',
        '--runs=1',
        '--no-write',
        '--keep',
        '--parallel=8',
        '--platform=linux/arm64',
      ],
      { sizes: [10, 50], runs: 1, platform: 'linux/arm64', parallel: 8, write: false, keep: true },
    ],
  ])('parses %j', (argv, expected) => {
    expect(parseScaleArgs(argv, 4)).toEqual(expected);
  });

  it.each([
    [['--sizes=10,x'], /--sizes=x: expected a whole number/],
    [['--runs=0'], /--runs=0: expected a whole number/],
    [['--platform='], /expected one platform/],
    [['--fast'], /unknown argument --fast/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseScaleArgs(argv, 2)).toThrow(message);
  });

  it('renders the Scale section: a row per size with per-app costs, and the growth per app', () => {
    const section = renderScaleSection([row(10, 1), row(200, 1)], {
      platform: 'linux/amd64',
      parallel: 2,
      runs: 3,
      sharedLibraries: 3,
      machine,
      totalSeconds: 60,
    });
    expect(section.startsWith('## Scale\n')).toBe(true);
    expect(section).toContain('--sizes=10,200');
    expect(section).toMatch(
      /\|\s+10 \|\s+20 \|\s+2\.1 s \(cpu 1\.0 s\) \|\s+210 ms \(cpu 100 ms\) \|/,
    );
    expect(section).toContain('4 apps: 4.0 s');
    // CPU of the cold graph: 1 s for 10 and for 200 apps, so 0.05 per app; wall: 2.1 s → 4 s.
    expect(section).toMatch(
      /From 10 to 200 apps \(20× as many\), the CPU time per app changes by a factor of 0\.05 \(wall 0\.10\) for the cold graph/,
    );
  });

  it('owns only its section of BENCHMARKS.md', () => {
    const others = `# crossdock benchmarks\n\n${BENCH_MARKERS.begin}\n## Machine\nfigures\n${BENCH_MARKERS.end}\n`;
    const once = replaceSection(others, SCALE_MARKERS, '## Scale\n\nfirst', {
      title: '# crossdock benchmarks',
    });
    const twice = replaceSection(once, SCALE_MARKERS, '## Scale\n\nsecond', {
      title: '# crossdock benchmarks',
    });
    expect(twice).toContain(`${BENCH_MARKERS.begin}\n## Machine\nfigures\n${BENCH_MARKERS.end}`);
    expect(twice).toContain(`${SCALE_MARKERS.begin}\n## Scale\n\nsecond\n${SCALE_MARKERS.end}`);
    expect(twice).not.toContain('first');
  });
});
