import { describe, expect, it } from 'vitest';
import { DockerfileSyntaxError } from './errors';
import { flagValue, parseDockerfile, ParsedInstruction } from './parse';

/** A compact view of an instruction for table assertions. */
const brief = (i: ParsedInstruction): [number, string, string] => [i.line, i.keyword, i.args];

describe('parseDockerfile: stages', () => {
  it('reads stages, platforms, aliases and lines', () => {
    const parsed = parseDockerfile(
      [
        'ARG GO=1.22',
        'ARG BUILDER_PLATFORM=$BUILDPLATFORM EXTRA',
        '',
        'from --platform=$BUILDPLATFORM golang:${GO} as Build',
        'RUN go build',
        'FROM scratch',
        'COPY --from=build /out /',
      ].join('\n'),
      'apps/x/Dockerfile',
    );
    expect(parsed.file).toBe('apps/x/Dockerfile');
    expect(parsed.globalArgs).toEqual([
      { name: 'GO', default: '1.22', line: 1 },
      { name: 'BUILDER_PLATFORM', default: '$BUILDPLATFORM', line: 2 },
      { name: 'EXTRA', line: 2 },
    ]);
    expect(parsed.stages.map((s) => [s.index, s.image, s.platform, s.name, s.line])).toEqual([
      [0, 'golang:${GO}', '$BUILDPLATFORM', 'build', 4],
      [1, 'scratch', undefined, undefined, 6],
    ]);
    expect(parsed.stages[0]?.from.keyword).toBe('FROM');
    expect(parsed.stages.map((s) => s.instructions.map(brief))).toEqual([
      [[5, 'RUN', 'go build']],
      [[7, 'COPY', '/out /']],
    ]);
    const copy = parsed.stages[1]?.instructions[0];
    expect(copy && flagValue(copy, 'from')).toBe('build');
  });
});

describe('parseDockerfile: lines', () => {
  it.each<[string, string[], [number, string, string][]]>([
    [
      'continuations join without the newline',
      ['FROM a', 'RUN apt-get update && \\', '    apt-get install -y \\', '      curl', 'USER 1'],
      [
        [2, 'RUN', 'apt-get update &&     apt-get install -y       curl'],
        [5, 'USER', '1'],
      ],
    ],
    [
      'comments and blank lines inside a continuation are dropped',
      ['FROM a', 'RUN one \\', '# a comment', '', '   # an indented comment', '  two', 'CMD ["x"]'],
      [
        [2, 'RUN', 'one   two'],
        [7, 'CMD', '["x"]'],
      ],
    ],
    [
      'continuation with trailing blanks after the backslash',
      ['FROM a', 'RUN a \\  ', 'b'],
      [[2, 'RUN', 'a b']],
    ],
    [
      'an escaped backslash is not a continuation',
      ['FROM a', 'RUN echo \\\\', 'USER 1'],
      [
        [2, 'RUN', 'echo \\\\'],
        [3, 'USER', '1'],
      ],
    ],
    [
      'indented instructions and CRLF line ends',
      ['FROM a\r', '   run   echo hi\r', '\t# tab comment\r', 'env A=1\r'],
      [
        [2, 'RUN', 'echo hi'],
        [4, 'ENV', 'A=1'],
      ],
    ],
    ['continuation at the end of the file', ['FROM a', 'RUN a \\'], [[2, 'RUN', 'a']]],
    ['a leading byte-order mark', ['\uFEFFFROM a', 'USER 1'], [[2, 'USER', '1']]],
  ])('%s', (_, lines, expected) => {
    const parsed = parseDockerfile(lines.join('\n'));
    expect(parsed.stages[0]?.instructions.map(brief)).toEqual(expected);
  });
});

describe('parseDockerfile: directives and escape', () => {
  it('reads directives at the top only', () => {
    const parsed = parseDockerfile(
      '# syntax=docker/dockerfile:1\n#  ESCAPE = `\n# check=skip=all\n\n# escape=\\\nFROM a\n',
    );
    expect(parsed.directives).toEqual({
      syntax: 'docker/dockerfile:1',
      escape: '`',
      check: 'skip=all',
    });
    expect(parsed.escape).toBe('`');
  });

  it('stops at the first line that is not a known directive', () => {
    const parsed = parseDockerfile('# hello\n# escape=`\nFROM a\nRUN a \\\n b\n');
    expect(parsed.directives).toEqual({});
    expect(parsed.stages[0]?.instructions.map(brief)).toEqual([[4, 'RUN', 'a  b']]);
  });

  it('continues lines with the backtick under # escape=`', () => {
    const parsed = parseDockerfile(
      [
        '# escape=`',
        'FROM mcr.example/windows/servercore',
        'COPY testfile.txt C:\\',
        'RUN dir c:\\ `',
        '    && echo done',
        'ENV P="C:\\Program Files`"x"',
      ].join('\n'),
    );
    const instructions = parsed.stages[0]?.instructions ?? [];
    expect(instructions.map(brief)).toEqual([
      [3, 'COPY', 'testfile.txt C:\\'],
      [4, 'RUN', 'dir c:\\     && echo done'],
      [6, 'ENV', 'P="C:\\Program Files`"x"'],
    ]);
    expect(instructions[2]?.pairs).toEqual([{ key: 'P', value: 'C:\\Program Files"x' }]);
  });
});

describe('parseDockerfile: heredocs', () => {
  it('keeps heredoc bodies out of the instructions', () => {
    const parsed = parseDockerfile(
      [
        'FROM a',
        'RUN <<EOF',
        'FROM not-a-stage',
        'RUN not an instruction',
        'EOF',
        'COPY <<-"EOT" /etc/conf',
        '\tkey=$value',
        '\tEOT',
        "RUN cat <<A > /a && cat <<'B' > /b",
        'a body',
        'A',
        'b $body',
        'B',
        'USER 1',
      ].join('\n'),
    );
    const ins = parsed.stages[0]?.instructions ?? [];
    expect(parsed.stages).toHaveLength(1);
    expect(ins.map((i) => [i.line, i.endLine, i.keyword])).toEqual([
      [2, 5, 'RUN'],
      [6, 8, 'COPY'],
      [9, 13, 'RUN'],
      [14, 14, 'USER'],
    ]);
    expect(ins[0]?.heredocs).toEqual([
      {
        name: 'EOF',
        chomp: false,
        expand: true,
        body: 'FROM not-a-stage\nRUN not an instruction\n',
        line: 3,
      },
    ]);
    expect(ins[1]?.heredocs).toEqual([
      { name: 'EOT', chomp: true, expand: false, body: '\tkey=$value\n', line: 7 },
    ]);
    expect(ins[2]?.heredocs.map((h) => [h.name, h.expand, h.body, h.line])).toEqual([
      ['A', true, 'a body\n', 10],
      ['B', false, 'b $body\n', 12],
    ]);
  });

  it.each([
    ['exec form', 'RUN ["cat", "<<EOF"]'],
    ['a keyword without heredocs', 'ENV X=<<EOF'],
    ['a here-string', 'RUN cat <<<EOF'],
    ['a word that only contains <<', 'RUN echo a<<EOF'],
  ])('finds no heredoc in %s', (_, line) => {
    const parsed = parseDockerfile(`FROM a\n${line}\nUSER 1\n`);
    expect(parsed.stages[0]?.instructions.map((i) => [i.keyword, i.heredocs.length])).toEqual([
      [line.split(' ')[0], 0],
      ['USER', 0],
    ]);
  });

  it('reads a heredoc after a continuation', () => {
    const parsed = parseDockerfile(
      'FROM a\nRUN --mount=type=cache,target=/c \\\n  <<EOF\necho hi\nEOF\nUSER 1\n',
    );
    const run = parsed.stages[0]?.instructions[0];
    expect([run?.line, run?.endLine, run?.heredocs[0]?.body, run?.mounts]).toEqual([
      2,
      5,
      'echo hi\n',
      [{ type: 'cache', target: '/c' }],
    ]);
  });
});

describe('parseDockerfile: instruction details', () => {
  it('parses flags, mounts, exec form and pairs', () => {
    const parsed = parseDockerfile(
      [
        'FROM a',
        'RUN --mount=type=cache,target=/root/.cache,id=go,sharing=locked --mount=type=bind,from=ctx,readonly ["go", "build"]',
        'COPY --from=build --chmod=0755 --link ["a b", "/c/"]',
        'ENV A=1 B="two words"',
        'LABEL "org.key"="v"',
        'ARG X Y=2',
        'ENTRYPOINT /bin/sh -c "x"',
        'CMD ["a", "b"]',
      ].join('\n'),
    );
    const [run, copy, env, label, arg, entry, cmd] = parsed.stages[0]?.instructions ?? [];
    expect(run?.mounts).toEqual([
      { type: 'cache', target: '/root/.cache', id: 'go', sharing: 'locked' },
      { type: 'bind', from: 'ctx', readonly: 'true' },
    ]);
    expect(run?.json).toEqual(['go', 'build']);
    expect(copy?.flags).toEqual([
      { name: 'from', value: 'build' },
      { name: 'chmod', value: '0755' },
      { name: 'link' },
    ]);
    expect(copy?.json).toEqual(['a b', '/c/']);
    expect(env?.pairs).toEqual([
      { key: 'A', value: '1' },
      { key: 'B', value: 'two words' },
    ]);
    expect(label?.pairs).toEqual([{ key: 'org.key', value: 'v' }]);
    expect(arg?.pairs).toEqual([{ key: 'X' }, { key: 'Y', value: '2' }]);
    expect(entry?.json).toBeUndefined();
    expect(entry?.args).toBe('/bin/sh -c "x"');
    expect(cmd?.json).toEqual(['a', 'b']);
  });
});

describe('parseDockerfile: FROM edge cases', () => {
  it('reads an empty --platform as none, as BuildKit does', () => {
    expect(parseDockerfile('FROM --platform= a\n').stages[0]?.platform).toBeUndefined();
  });
});

describe('parseDockerfile: errors', () => {
  it.each<[string, string, number, RegExp]>([
    [
      'an instruction before FROM',
      'ARG A\n# c\nRUN echo\nFROM a\n',
      3,
      /RUN before the first FROM: only ARG may come before FROM/u,
    ],
    [
      'a FROM without image',
      'FROM a\n\nFROM\n',
      3,
      /FROM without an image; write FROM \[--platform=<platform>\] <image> \[AS <name>\]/u,
    ],
    [
      'a FROM with only a platform',
      'FROM --platform=$BUILDPLATFORM\n',
      1,
      /FROM without an image/u,
    ],
    ['a FROM with two words', 'FROM a b\n', 1, /FROM takes one or three arguments, got "a b"/u],
    ['a FROM with a bad alias keyword', 'FROM a TO b\n', 1, /FROM takes one or three arguments/u],
    ['an invalid stage name', 'FROM a AS 1st\n', 1, /invalid stage name "1st"/u],
    [
      'an unknown FROM flag',
      'FROM --plattform=x a\n',
      1,
      /unknown FROM flag --plattform; the only FROM flag is --platform/u,
    ],
    [
      'an unknown instruction',
      'FROM a\nRUNN echo\n',
      2,
      /unknown instruction "RUNN"; valid instructions are ADD, ARG/u,
    ],
    [
      'an unterminated heredoc',
      'FROM a\nRUN <<EOF\necho\n',
      2,
      /unterminated heredoc <<EOF: add a line that is exactly "EOF"/u,
    ],
    [
      'an unterminated chomped heredoc',
      'FROM a\nRUN <<-EOF\necho\n EOF\n',
      2,
      /unterminated heredoc <<-EOF/u,
    ],
    ['an ENV word without =', 'FROM a\nENV A=1 B\n', 2, /ENV: can't find = in "B"/u],
    ['an empty ENV', 'FROM a\nENV\n', 2, /ENV needs at least one NAME=value/u],
    ['an empty ARG', 'FROM a\nARG\n', 2, /ARG needs a name/u],
    [
      'a JSON array of numbers',
      'FROM a\nCMD [1, 2]\n',
      2,
      /CMD when using JSON array syntax, arrays must hold strings only/u,
    ],
    [
      'a bad escape directive',
      '# escape=x\nFROM a\n',
      1,
      /invalid escape directive "x": it must be \\ or `/u,
    ],
    [
      'a repeated directive',
      '# syntax=a\n# syntax=b\nFROM a\n',
      2,
      /only one "syntax" parser directive can be used/u,
    ],
    ['no FROM at all', 'ARG A\n\n# only a comment\n', 1, /no FROM instruction/u],
    ['an empty file', '', 1, /no FROM instruction/u],
  ])('rejects %s', (_, text, line, message) => {
    let error: unknown;
    try {
      parseDockerfile(text, 'ctx/Dockerfile');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DockerfileSyntaxError);
    const e = error as DockerfileSyntaxError;
    expect([e.file, e.line]).toEqual(['ctx/Dockerfile', line]);
    expect(e.message).toMatch(new RegExp(`^ctx/Dockerfile:${line}: `, 'u'));
    expect(e.message).toMatch(message);
  });
});
