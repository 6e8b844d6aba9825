import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// Through the package entry point, as other projects import it.
import {
  formatFinding,
  lintDockerfileText,
  parseDockerfile,
  renderDockerfile,
} from '@crossdock/dockerfile';
import { generated } from './examples';

/** Real example Dockerfiles: good/ ones must lint clean, bad/ ones give exactly the findings below. */
const testdata = join(__dirname, '..', 'testdata');
const files = (dir: 'good' | 'bad'): string[] =>
  readdirSync(join(testdata, dir))
    .filter((f) => f.endsWith('Dockerfile'))
    .sort();
const read = (dir: string, file: string): string => readFileSync(join(testdata, dir, file), 'utf8');

/** Every file in bad/, with [line, severity, stage] of each finding. */
const expectedBad: Readonly<
  Record<string, readonly [number, 'error' | 'warning', string | number][]>
> = {
  'naive-go.Dockerfile': [
    [6, 'error', 'build'],
    [8, 'error', 'build'],
    [11, 'error', 1],
  ],
  'final-stage-run.Dockerfile': [
    [9, 'error', 'runtime'],
    [13, 'error', 'runtime'],
  ],
  'stage-chain.Dockerfile': [
    [10, 'error', 'c'],
    [12, 'error', 'd'],
  ],
  'fixed-platform.Dockerfile': [
    [5, 'warning', 'web'],
    [7, 'warning', 'web'],
  ],
  'target-arg.Dockerfile': [
    [9, 'error', 'runtime'],
    [12, 'warning', 'custom'],
  ],
  'heredoc-target.Dockerfile': [
    [10, 'error', 1],
    [14, 'error', 1],
  ],
};

describe('testdata', () => {
  it('has a table row for every bad Dockerfile', () => {
    expect(files('bad')).toEqual(Object.keys(expectedBad).sort());
    expect(files('good').length).toBeGreaterThanOrEqual(5);
  });

  it.each(files('good'))('good/%s has no findings', (file) => {
    expect(lintDockerfileText(read('good', file), `good/${file}`).map(formatFinding)).toEqual([]);
  });

  it.each(Object.entries(expectedBad))('bad/%s has exactly its findings', (file, expected) => {
    const findings = lintDockerfileText(read('bad', file), `bad/${file}`);
    expect(findings.map((f) => [f.line, f.severity, f.stage])).toEqual(expected);
    for (const f of findings) {
      expect(f.file).toBe(`bad/${file}`);
      expect(formatFinding(f)).toMatch(
        new RegExp(`^bad/${file.replace('.', '\\.')}:${f.line}: ${f.severity}: RUN in stage `, 'u'),
      );
      expect(read('bad', file).split('\n')[f.line - 1]).toMatch(/^RUN /u);
    }
  });

  it('good/crossdock-generated.Dockerfile is what the renderer writes for the generated shape', () => {
    expect(renderDockerfile(generated)).toBe(read('good', 'crossdock-generated.Dockerfile'));
  });

  it('reads the structure of the example files', () => {
    const windows = parseDockerfile(read('good', 'windows-escape.Dockerfile'));
    expect(windows.escape).toBe('`');
    expect(windows.stages[0]?.instructions.map((i) => [i.line, i.keyword, i.args])).toEqual([
      [4, 'WORKDIR', 'C:\\src'],
      [5, 'COPY', '. .'],
      [6, 'RUN', 'go build     -o C:\\out\\app.exe     .\\cmd\\app'],
    ]);
    const heredoc = parseDockerfile(read('good', 'heredoc-build.Dockerfile'));
    expect(heredoc.stages.map((s) => [s.line, s.name, s.instructions.length])).toEqual([
      [1, 'rootfs', 2],
      [14, undefined, 2],
    ]);
    expect(heredoc.stages[0]?.instructions[1]?.heredocs[0]?.body).toContain('nonroot:x:65532');
  });
});
