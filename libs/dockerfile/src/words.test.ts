import { describe, expect, it } from 'vitest';
import { parseHeredocWord } from './heredoc';
import { parseArgNames, parseNameValues } from './pairs';
import { parseCsvFields, parseJsonArray, splitCommand, splitWords, unquote } from './words';

describe('splitCommand', () => {
  it.each([
    ['RUN echo hi', 'RUN', [], 'echo hi'],
    ['  run   echo  hi  ', 'run', [], 'echo  hi'],
    [
      'COPY --from=build --chmod=0755 --link a /b',
      'COPY',
      [{ name: 'from', value: 'build' }, { name: 'chmod', value: '0755' }, { name: 'link' }],
      'a /b',
    ],
    [
      'RUN --mount="type=cache,target=/a b" ls',
      'RUN',
      [{ name: 'mount', value: 'type=cache,target=/a b' }],
      'ls',
    ],
    ['RUN -- --not-a-flag', 'RUN', [], '--not-a-flag'],
    ['RUN --network=none -x', 'RUN', [{ name: 'network', value: 'none' }], '-x'],
    [
      'FROM --platform=$BUILDPLATFORM golang AS build',
      'FROM',
      [{ name: 'platform', value: '$BUILDPLATFORM' }],
      'golang AS build',
    ],
    ['CMD', 'CMD', [], ''],
  ])('%j', (line, keyword, flags, rest) => {
    expect(splitCommand(line, '\\')).toEqual({ keyword, flags, rest });
  });
});

describe('splitWords and unquote', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c'], ['a', 'b', 'c']],
    ['k="a b" j=\'c d\'', ['k="a b"', "j='c d'"], ['k=a b', 'j=c d']],
    ['a\\ b', ['a\\ b'], ['a b']],
    ['"x\\"y\\\\z"', ['"x\\"y\\\\z"'], ['x"y\\z']],
    ['"keep\\n"', ['"keep\\n"'], ['keep\\n']],
    ["'no\\escape'", ["'no\\escape'"], ['no\\escape']],
    ['"$HOME"', ['"$HOME"'], ['$HOME']],
    ['"\\$HOME"', ['"\\$HOME"'], ['$HOME']],
    ['""', ['""'], ['']],
  ])('%j', (text, words, unquoted) => {
    expect(splitWords(text, '\\')).toEqual(words);
    expect(words.map((w) => unquote(w, '\\'))).toEqual(unquoted);
  });

  it('uses the backtick as escape under `# escape=`', () => {
    expect(splitWords('a` b c\\d', '`')).toEqual(['a` b', 'c\\d']);
    expect(unquote('a` b', '`')).toBe('a b');
    expect(unquote('"C:\\path`""', '`')).toBe('C:\\path"');
  });
});

describe('parseNameValues and parseArgNames', () => {
  it.each([
    [
      'A=1 B="two words"',
      [
        { key: 'A', value: '1' },
        { key: 'B', value: 'two words' },
      ],
    ],
    ['PATH="/go/bin:$PATH"', [{ key: 'PATH', value: '/go/bin:$PATH' }]],
    ['LEGACY some value here', [{ key: 'LEGACY', value: 'some value here' }]],
    ['"org.key"="v"', [{ key: 'org.key', value: 'v' }]],
    ['E=', [{ key: 'E', value: '' }]],
  ])('ENV/LABEL %j', (args, pairs) => {
    expect(parseNameValues(args, '\\')).toEqual(pairs);
  });

  it.each([
    ['A=1 B', /can't find = in "B"/u],
    ['ONLYKEY', /has no value/u],
  ])('rejects %j', (args, message) => {
    expect(parseNameValues(args, '\\')).toMatch(message);
  });

  it('reads ARG names with and without defaults', () => {
    expect(parseArgNames('A B=2 C="x y"', '\\')).toEqual([
      { key: 'A' },
      { key: 'B', value: '2' },
      { key: 'C', value: 'x y' },
    ]);
  });
});

describe('parseJsonArray and parseCsvFields', () => {
  it.each([
    ['["a", "b"]', ['a', 'b']],
    ['  []', []],
    ['[not json', undefined],
    ['echo [x]', undefined],
    ['{"a":1}', undefined],
  ])('%j', (text, result) => {
    expect(parseJsonArray(text)).toEqual(result);
  });

  it('rejects a JSON array holding a non-string', () => {
    expect(parseJsonArray('["a", 1]')).toMatch(/must hold strings only/u);
  });

  it.each([
    ['type=cache,target=/x', ['type=cache', 'target=/x']],
    ['type=bind,"source=a,b",readonly', ['type=bind', 'source=a,b', 'readonly']],
    ['"a""b"', ['a"b']],
  ])('csv %j', (value, fields) => {
    expect(parseCsvFields(value)).toEqual(fields);
  });
});

describe('parseHeredocWord', () => {
  it.each([
    ['<<EOF', { name: 'EOF', chomp: false, expand: true }],
    ['<<-EOT', { name: 'EOT', chomp: true, expand: true }],
    ["<<'EOF'", { name: 'EOF', chomp: false, expand: false }],
    ['<<"EOF"', { name: 'EOF', chomp: false, expand: false }],
    ['3<<EOF', { name: 'EOF', chomp: false, expand: true, fd: 3 }],
    ['<<', undefined],
    ['<<<here-string', undefined],
    ['cat<<EOF', undefined],
    ['a<<b', undefined],
  ])('%j', (word, opener) => {
    expect(parseHeredocWord(word)).toEqual(opener);
  });
});
