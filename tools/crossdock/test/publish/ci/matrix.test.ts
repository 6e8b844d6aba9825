import { describe, expect, it } from 'vitest';
import { parsePlatform } from '@crossdock/platform';
import { buildMatrix, githubOutputs, parseRunnerFlags } from '../../../src/publish/ci/matrix';

const projects = [
  { name: 'relay', platforms: ['linux/amd64', 'linux/arm64'].map(parsePlatform) },
  { name: 'hello', platforms: ['linux/arm/v7', 'linux/arm64'].map(parsePlatform) },
];

describe('buildMatrix', () => {
  it('has one cell per project and platform, on the default runner', () => {
    expect(buildMatrix(projects, parseRunnerFlags([], 'ubuntu-latest')).include).toEqual([
      { project: 'hello', platform: 'linux/arm/v7', slug: 'linux-arm-v7', runner: 'ubuntu-latest' },
      { project: 'hello', platform: 'linux/arm64', slug: 'linux-arm64', runner: 'ubuntu-latest' },
      { project: 'relay', platform: 'linux/amd64', slug: 'linux-amd64', runner: 'ubuntu-latest' },
      { project: 'relay', platform: 'linux/arm64', slug: 'linux-arm64', runner: 'ubuntu-latest' },
    ]);
  });

  it('maps runners by architecture, and by full platform first', () => {
    const runners = parseRunnerFlags(
      ['arm64=ubuntu-24.04-arm', 'arm=arm32-box', 'linux/arm/v7=armv7-box'],
      'ubuntu-latest',
    );
    expect(
      buildMatrix(projects, runners).include.map(
        (cell) => `${cell.project} ${cell.platform} ${cell.runner}`,
      ),
    ).toEqual([
      'hello linux/arm/v7 armv7-box',
      'hello linux/arm64 ubuntu-24.04-arm',
      'relay linux/amd64 ubuntu-latest',
      'relay linux/arm64 ubuntu-24.04-arm',
    ]);
  });

  it.each(['arm64', '=x', 'arm64='])('rejects the runner flag %j', (flag) => {
    expect(() => parseRunnerFlags([flag], 'ubuntu-latest')).toThrow(/must be KEY=LABEL/);
  });

  it('gives workflow outputs that let the build jobs be skipped when nothing is affected', () => {
    expect(githubOutputs(buildMatrix([], parseRunnerFlags([], 'ubuntu-latest')))).toBe(
      ['matrix={"include":[]}', 'projects={"include":[]}', 'has-cells=false', 'count=0'].join('\n'),
    );
    const lines = githubOutputs(buildMatrix(projects, parseRunnerFlags([], 'ubuntu-latest'))).split(
      '\n',
    );
    expect(lines[1]).toBe('projects={"include":[{"project":"hello"},{"project":"relay"}]}');
    expect(lines[2]).toBe('has-cells=true');
  });
});
