import { describe, expect, it } from 'vitest';
import { meetsGoal, parseKoArgs, renderKoSection } from '../../../scripts/bench/ko';
import type { Machine } from '../../../scripts/bench/machine';
import { sample } from '../../../scripts/bench/stats';

const machine = {
  cores: 2,
  cpuModel: 'cpu',
  memoryGiB: 24,
  kernel: 'linux',
  goVersion: 'go1.26.8',
  goroot: '/usr/local/go',
  nodeVersion: 'v24.21.0',
  nxVersion: '24.0.6',
  docker: '20.10',
  qemu: '7.2',
  date: '2026-12-04T22:00:00Z',
  loadAtStart: 1.5,
} as Machine;

describe('the ko comparison', () => {
  it('judges each row by its goal: the ratio of medians, and 1.5 s for the unchanged run', () => {
    const ko = sample([3000, 3500, 4000]);
    expect(meetsGoal('edit', sample([3400, 3500, 3600]), ko)).toBe(true); // 1.0×
    expect(meetsGoal('edit', sample([3500, 3600]), ko)).toBe(false);
    const koUnchanged = sample([2000, 2200, 2400]);
    expect(meetsGoal('unchanged', sample([1000, 1100, 1200]), koUnchanged)).toBe(true);
    expect(meetsGoal('unchanged', sample([1000, 1100, 1200]), sample([4000]))).toBe(true);
    // Half of ko's time is not enough when it is 1.5 s or more.
    expect(meetsGoal('unchanged', sample([1600]), sample([4000]))).toBe(false);
    expect(meetsGoal('cold', sample([120_000]), sample([121_000]))).toBe(true);
  });

  it('renders the rows with medians, ranges, both crossdock columns and the verdicts', () => {
    const text = renderKoSection(
      {
        app: 'hello',
        platforms: ['linux/amd64', 'linux/arm64'],
        base: '127.0.0.1:5000/crossdock-bench/one-file-base:latest',
        koVersion: 'v0.19.1',
        ldflags: ['-s', '-w'],
        library: 'libs/go/httpx/json.go',
        rows: {
          edit: {
            ko: sample([3000, 3500, 4000]),
            crossdock: sample([4000, 4200, 4400]),
            crossdockDaemon: sample([2500, 2600, 2700]),
            goBuild: sample([1900, 2000, 2100]),
            nxAlone: sample([600, 700, 800]),
          },
        },
      },
      machine,
      { cold: 3, quick: 12 },
      2.5,
    );
    expect(text).toContain('## crossdock against ko: the edit-rebuild loop');
    expect(text).toContain(
      '3 interleaved runs of the cold row and 12 of the edit and unchanged rows',
    );
    expect(text).toContain('Reproduce: `npm run bench -- --only=ko --runs=3`.');
    expect(text).toContain('load 1.5 at the start and 2.5 at the end');
    expect(text).toMatch(
      /\| one line changed in libs\/go\/httpx \|\s*3\.50 s \(3\.00 s–4\.00 s\) \|\s*4\.20 s \(4\.00 s–4\.40 s\) \|\s*1\.20× \*\*not met\*\* \|\s*2\.60 s \(2\.50 s–2\.70 s\) \|\s*0\.74× \*\*met\*\* \| ≤ 1\.0× \|\s*2\.00 s \(1\.90 s–2\.10 s\) \|\s*0\.57× \|\s*0\.70 s \(0\.60 s–0\.80 s\) \|/,
    );
    // Nx by itself plus the go builds alone: 0.70 + 2.00 s, 0.77× of ko's 3.50 s.
    expect(text).toContain('takes 0.70 s; with the go builds that makes 2.70 s, 0.77× of ko');
    expect(text).toContain(
      "ko's own share of its run is 1.50 s; crossdock's is 2.20 s without the daemon and 0.60 s with it",
    );
    expect(text).not.toContain('nothing changed |');
  });

  it('parses its command line and refuses unknown rows and arguments', () => {
    expect(parseKoArgs(['--only=ko'])).toEqual({
      runs: { cold: 3, quick: 12 },
      rows: ['cold', 'edit', 'unchanged'],
      profileRuns: 3,
      write: true,
    });
    expect(
      parseKoArgs([
        '--only=ko',
        '--runs=5',
        '--rows=edit,unchanged',
        '--profile-runs=0',
        '--no-write',
      ]),
    ).toEqual({
      runs: { cold: 5, quick: 20 },
      rows: ['edit', 'unchanged'],
      profileRuns: 0,
      write: false,
    });
    expect(() => parseKoArgs(['--profile-runs=-1'])).toThrow(/0 or more/);
    expect(() => parseKoArgs(['--rows=warm'])).toThrow(/rows are cold, edit, unchanged/);
    expect(() => parseKoArgs(['--runs=0'])).toThrow(/at least 1/);
    expect(parseKoArgs(['--runs=2', '--quick-runs=7']).runs).toEqual({ cold: 2, quick: 7 });
    expect(() => parseKoArgs(['--quick-runs=0'])).toThrow(/at least 1/);
    expect(() => parseKoArgs(['--fast'])).toThrow(/unknown argument/);
  });
});
