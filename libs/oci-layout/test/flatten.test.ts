import { describe, expect, it } from 'vitest';
import { flattenLayers, layerPath, whiteoutOf } from '../src/flatten';

const file = (name: string) => ({ name, type: 'file' });
const dir = (name: string) => ({ name, type: 'dir' });

describe('layerPath and whiteoutOf', () => {
  it('cleans tar names and classifies whiteouts', () => {
    expect(layerPath('./usr/bin/')).toBe('usr/bin');
    expect(layerPath('/')).toBe('');
    expect(whiteoutOf('etc/.wh.passwd')).toEqual({ kind: 'remove', dir: 'etc', name: 'passwd' });
    expect(whiteoutOf('.wh.tmp')).toEqual({ kind: 'remove', dir: '', name: 'tmp' });
    expect(whiteoutOf('var/cache/.wh..wh..opq')).toEqual({ kind: 'opaque', dir: 'var/cache' });
    expect(whiteoutOf('etc/passwd')).toBeUndefined();
  });
});

describe('flattenLayers', () => {
  it('stacks layers bottom first: whiteouts hide lower paths and what is under them, opaque empties a directory', () => {
    const tree = flattenLayers([
      [
        dir('etc/'),
        file('etc/passwd'),
        dir('var/cache/'),
        file('var/cache/a'),
        dir('opt/x/'),
        file('opt/x/y'),
      ],
      [
        file('./etc/.wh.passwd'),
        file('var/cache/.wh..wh..opq'),
        file('var/cache/b'),
        file('.wh.opt'),
      ],
    ]);
    expect([...tree.keys()].sort()).toEqual(['etc', 'var/cache', 'var/cache/b']);
  });

  it("never lets a layer's whiteouts hide its own entries", () => {
    const tree = flattenLayers([[file('a/.wh.b'), file('a/b')]]);
    expect([...tree.keys()]).toEqual(['a/b']);
  });

  it('replaces a directory by a non-directory and drops what was under it', () => {
    const tree = flattenLayers([
      [dir('lib/'), file('lib/x.so')],
      [{ name: 'lib', type: 'symlink' }],
    ]);
    expect([...tree.entries()]).toEqual([['lib', { name: 'lib', type: 'symlink' }]]);
  });

  it('empties everything for an opaque marker at the root', () => {
    expect([
      ...flattenLayers([
        [file('a'), file('b/c')],
        [file('.wh..wh..opq'), file('d')],
      ]).keys(),
    ]).toEqual(['d']);
  });
});
