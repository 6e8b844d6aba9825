import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE_KINDS, baseKindOf } from '../../src/image/base/base-kinds';

const SRC = join(__dirname, '../../src');

describe('base kinds (src/image/base/base-kinds.ts)', () => {
  it.each([
    ['scratch', 'scratch'],
    ['oci:bases/debian', 'layout'],
    ['oci:/srv/layouts/busybox', 'layout'],
    ['127.0.0.1:5000/busybox:latest', 'registry'],
    ['ghcr.io/acme/base@sha256:' + 'a'.repeat(64), 'registry'],
  ])('%s is a %s base', (reference, kind) => {
    expect(baseKindOf(reference).name).toBe(kind);
  });

  it('lists each kind once, registry (which takes every other reference) last', () => {
    expect(BASE_KINDS.map((k) => k.name)).toEqual(['scratch', 'layout', 'registry']);
  });

  it('say how a cache notices a change, how provenance names the base and where push mounts from', () => {
    const of = (reference: string) => baseKindOf(reference);
    expect(of('scratch').cacheInput('scratch')).toEqual({ kind: 'none' });
    expect(of('oci:bases/debian').cacheInput('oci:bases/debian')).toEqual({
      kind: 'workspace-file',
      path: 'bases/debian/index.json',
    });
    expect(of('oci:../outside').cacheInput('oci:../outside')).toEqual({ kind: 'current-digest' });
    expect(of('oci:/abs').cacheInput('oci:/abs')).toEqual({ kind: 'current-digest' });
    expect(of('h:5000/r:1').cacheInput('h:5000/r:1')).toEqual({ kind: 'current-digest' });

    expect(of('scratch').provenanceUri('scratch')).toBeUndefined();
    expect(of('oci:bases/debian').provenanceUri('oci:bases/debian')).toBe('oci:bases/debian');
    expect(of('h:5000/r:1').provenanceUri('h:5000/r:1')).toBe('oci://h:5000/r:1');

    expect(of('scratch').mountSource('scratch', 'h:5000')).toBeUndefined();
    expect(of('oci:x').mountSource('oci:x', 'h:5000')).toBeUndefined();
    expect(of('h:5000/lib/base:1').mountSource('h:5000/lib/base:1', 'h:5000')).toBe('lib/base');
    expect(of('h:5000/lib/base:1').mountSource('h:5000/lib/base:1', 'other:5000')).toBeUndefined();
    expect(of('Not A Reference').mountSource('Not A Reference', 'h:5000')).toBeUndefined();
  });

  it('are known in src/image/base only: no other source file tests a base reference by its spelling', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? files(join(dir, entry.name))
          : entry.name.endsWith('.ts')
            ? [join(dir, entry.name)]
            : [],
      );
    const spelling =
      /startsWith\(\s*['"`]oci:|[!=]==\s*['"`]scratch['"`]|['"`]scratch['"`]\s*[!=]==/;
    const offenders = files(SRC)
      .filter((file) => !relative(SRC, file).startsWith('image/base/'))
      .filter((file) => spelling.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(offenders).toEqual([]);
  });
});
