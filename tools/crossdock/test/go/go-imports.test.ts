import { describe, expect, it } from 'vitest';
import { parseGoImports } from '../../src/go/imports';

describe('parseGoImports', () => {
  it.each([
    ['single import', 'package main\nimport "fmt"\n', ['fmt']],
    ['named single import', 'package main\nimport f "fmt"\n', ['fmt']],
    [
      'group with aliases, blank and dot imports',
      'package main\nimport (\n\t"fmt"\n\tx "example.com/a/x"\n\t_ "embed"\n\t. "strings"\n)\n',
      ['fmt', 'example.com/a/x', 'embed', 'strings'],
    ],
    ['raw string literal', 'package main\nimport `example.com/raw`\n', ['example.com/raw']],
    [
      'several import declarations',
      'package p\nimport "a"\nimport (\n"b"\n)\nimport "c"\n',
      ['a', 'b', 'c'],
    ],
    [
      'commented-out imports are ignored',
      'package p\n// import "nope"\n/* import "nope2" */\nimport (\n\t// "nope3"\n\t"yes"\n)\n',
      ['yes'],
    ],
    [
      'a string in code after the imports is not an import',
      'package p\nimport "a"\nfunc f() { _ = "import \\"b\\"" }\n',
      ['a'],
    ],
    [
      'build constraints and doc comments before the package clause',
      '//go:build linux\n\n// Package p does things.\npackage p\n\nimport "os"\n',
      ['os'],
    ],
    ['no imports', 'package p\n\nfunc F() {}\n', []],
  ])('%s', (_name, source, expected) => {
    expect(parseGoImports(source)).toEqual(expected);
  });
});
