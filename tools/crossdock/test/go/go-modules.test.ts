import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findGoModules, parseGoWorkUses, parseModulePath } from '../../src/go/modules';
import { projectOfImport } from '../../src/nx/graph/create-dependencies';

describe('go.mod and go.work parsing', () => {
  it.each([
    ['module example.com/a\n\ngo 1.26\n', 'example.com/a'],
    ['// comment\nmodule "example.com/quoted"\n', 'example.com/quoted'],
    ['go 1.26\n', undefined],
  ])('module path of %j', (text, expected) => {
    expect(parseModulePath(text)).toBe(expected);
  });

  it('reads use directives, single and grouped', () => {
    expect(
      parseGoWorkUses('go 1.26\n\nuse (\n\t./apps/a\n\t"./libs/b" // lib\n)\nuse ./tools/c\n'),
    ).toEqual(['./apps/a', './libs/b', './tools/c']);
  });

  it('finds go.work modules, longest path first', () => {
    const root = mkdtempSync(join(tmpdir(), 'crossdock-gomod-'));
    for (const [dir, path] of [
      ['apps/api', 'example.com/mono/apps/api'],
      ['libs/shared', 'example.com/mono'],
    ]) {
      mkdirSync(join(root, dir), { recursive: true });
      writeFileSync(join(root, dir, 'go.mod'), `module ${path}\n`);
    }
    writeFileSync(join(root, 'go.work'), 'go 1.26\nuse (\n\t./libs/shared\n\t./apps/api\n)\n');
    expect(findGoModules(root)).toEqual([
      { path: 'example.com/mono/apps/api', dir: 'apps/api' },
      { path: 'example.com/mono', dir: 'libs/shared' },
    ]);
  });
});

describe('projectOfImport', () => {
  const modules = [{ path: 'example.com/mono', dir: '.' }];
  const roots = new Map([
    ['libs/go/buildinfo', 'go-buildinfo'],
    ['libs/go', 'go-all'],
    ['apps/hello', 'hello'],
  ]);
  it.each([
    ['example.com/mono/libs/go/buildinfo', 'go-buildinfo'],
    ['example.com/mono/libs/go/buildinfo/internal/x', 'go-buildinfo'],
    ['example.com/mono/libs/go/other', 'go-all'],
    ['example.com/mono/tools/none', undefined],
    ['example.com/monolith/x', undefined],
    ['fmt', undefined],
  ])('%s → %s', (importPath, project) => {
    expect(projectOfImport(importPath, modules, roots)).toBe(project);
  });
});
