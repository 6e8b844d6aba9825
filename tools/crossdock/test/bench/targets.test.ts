import { describe, expect, it } from 'vitest';
import type { Machine } from '../../../scripts/bench/machine';
import type { BenchResults, WorkspaceResult } from '../../../scripts/bench/results';
import { sample } from '../../../scripts/bench/stats';
import { checkTargets, verdict } from '../../../scripts/bench/targets';

const machine: Machine = {
  cores: 2,
  cpuModel: 'x',
  memoryGiB: 8,
  kernel: 'Linux',
  goVersion: 'go1.26.8',
  goroot: '/usr/local/go',
  nodeVersion: 'v20',
  nxVersion: '22',
  docker: 'd',
  qemu: 'q',
  date: 'now',
  loadAtStart: 0,
};
const s = (seconds: number) => sample([seconds * 1000]);

function workspace(cached: number, cold: number, bareCold: number): WorkspaceResult {
  return {
    projects: [],
    builds: 8,
    parallel: 3,
    cold: s(cold),
    cached: s(cached),
    affected: s(10),
    affectedLibrary: 'libs/go/httpx',
    affectedFile: 'libs/go/httpx/json.go',
    affectedProjects: [],
    bareCold: s(bareCold),
    bareWarm: s(5),
    fullWarm: s(8),
  };
}

function results(partial: Partial<BenchResults>): BenchResults {
  return { machine, runs: 1, quick: false, errors: {}, totalMs: 0, ...partial };
}

describe('bench targets', () => {
  it('reports every target as not measured when nothing ran', () => {
    expect(checkTargets(results({})).map(verdict)).toEqual([
      'not measured',
      'not measured',
      'not measured',
    ]);
  });

  it.each([
    [[300, 350], [40, 50], 'met', 'linux/arm64 7.5×, linux/arm/v7 7.0×'],
    [[300, 200], [40, 50], 'not met', 'linux/arm64 7.5×, linux/arm/v7 4.0×'],
  ])('emulation %j against %j: %s', (emulated, crossdock, expected, measured) => {
    const rows = [
      { platform: 'linux/amd64', native: true, crossdock: s(30), emulated: s(31) },
      {
        platform: 'linux/arm64',
        native: false,
        crossdock: s(crossdock[0]),
        emulated: s(emulated[0]),
      },
      {
        platform: 'linux/arm/v7',
        native: false,
        crossdock: s(crossdock[1]),
        emulated: s(emulated[1]),
      },
    ];
    const [check] = checkTargets(
      results({ emulation: { method: 'docker', golangImage: 'g', toolchains: [], rows } }),
    );
    expect(verdict(check)).toBe(expected);
    expect(check.measured).toBe(measured);
  });

  it.each([
    [2.5, 100, 90, ['met', 'met']],
    [3.0, 100, 80, ['not met', 'not met']],
    [1.0, 114, 100, ['met', 'met']],
  ])('cached %d s, cold %d s over bare %d s', (cached, cold, bare, expected) => {
    const checks = checkTargets(results({ workspace: workspace(cached, cold, bare) }));
    expect(checks.slice(1).map(verdict)).toEqual(expected);
  });
});
