import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerfileSyntaxError } from '../src/errors';
import { parseDockerfile, ParsedInstruction } from '../src/parse';
import { renderDockerfile } from '../src/render';
import { splitWords } from '../src/words';
import { generated, hermetic, kitchenSink } from './examples';
import { missingComponent } from '../../test-support/src/missing-component';

/**
 * Differential test against BuildKit's own Dockerfile parser: testdata/buildkit-oracle is
 * a Go program that parses stdin with github.com/moby/buildkit and prints what it read.
 * Every example must read the same in both: lines, keywords, flags, exec form, ENV/LABEL
 * pairs, heredocs, global ARGs and stages.
 */

interface OracleInstruction {
  readonly line: number;
  readonly endLine: number;
  readonly keyword: string;
  readonly flags: readonly string[];
  readonly json: readonly string[] | null;
  readonly args: readonly string[];
  readonly pairs: readonly [string, string][];
  readonly heredocs: readonly { name: string; body: string; chomp: boolean; expand: boolean }[];
}
interface OracleFailure {
  readonly error: string;
  readonly line: number;
}
interface OracleResult {
  readonly escape: string;
  readonly args: readonly { name: string; default: string | null }[];
  readonly stages: readonly { image: string; platform: string; name: string; line: number }[];
  readonly instructions: readonly OracleInstruction[];
}

const oracleDir = join(__dirname, '..', 'testdata', 'buildkit-oracle');
const testdata = join(__dirname, '..', 'testdata');
const GO_CANDIDATES = ['go', '/usr/local/go/bin/go'];

async function findGo(): Promise<string | undefined> {
  for (const go of GO_CANDIDATES) {
    const r = await execa(go, ['version'], { reject: false });
    if (r.exitCode === 0) return go;
  }
  return undefined;
}

const WHOLE_REST = new Set([
  'RUN',
  'CMD',
  'ENTRYPOINT',
  'SHELL',
  'USER',
  'WORKDIR',
  'STOPSIGNAL',
  'MAINTAINER',
]);
const WORD_LIST = new Set(['COPY', 'ADD', 'EXPOSE', 'VOLUME', 'FROM']);

/** Our instruction in the oracle's terms. */
function asOracle(i: ParsedInstruction, escape: '\\' | '`'): OracleInstruction {
  let args: readonly string[] = [];
  if (i.json === undefined && i.args !== '') {
    if (WHOLE_REST.has(i.keyword)) args = [i.args];
    else if (WORD_LIST.has(i.keyword)) args = i.args.split(/[\t\v\f\r ]+/u);
    else if (i.keyword === 'ARG') args = splitWords(i.args, escape);
  }
  return {
    line: i.line,
    endLine: i.endLine,
    keyword: i.keyword,
    flags: i.flags.map((f) => (f.value === undefined ? `--${f.name}` : `--${f.name}=${f.value}`)),
    json: i.json ?? null,
    args,
    pairs:
      i.keyword === 'ENV' || i.keyword === 'LABEL'
        ? i.pairs.map((p) => [p.key, p.value ?? ''])
        : [],
    heredocs: i.heredocs.map((h) => ({
      name: h.name,
      body: h.body,
      chomp: h.chomp,
      expand: h.expand,
    })),
  };
}

/** The oracle's answer with the keywords our parser keeps no raw args for blanked out. */
function comparable(o: OracleInstruction): OracleInstruction {
  const keep =
    o.json !== null || WHOLE_REST.has(o.keyword) || WORD_LIST.has(o.keyword) || o.keyword === 'ARG';
  return { ...o, args: keep ? o.args : [] };
}

const snippets: Readonly<Record<string, string>> = {
  continuations: 'FROM a\nRUN one \\\n# comment\n\n  two \\\n   three\nRUN echo \\\\\nUSER 1\n',
  crlfAndBom: '\uFEFFFROM a\r\n  run echo hi\r\n\t# c\r\nENV A=1\r\n',
  quoting:
    'FROM a\nENV A="x \\"y\\" \\\\z" B=\'s q\' C=a\\ b D="$HOME" E="\\$HOME" F=${X}\nLABEL "my key"="v" org.k=1\nENV LEGACY two words\n',
  flags:
    'FROM a\nRUN --mount="type=bind,target=/a b" --network=none -- ls\nCOPY --from=build --chmod=0755 --link ["a b", "/c/"]\nCOPY --chown=1:1 a b /d/\n',
  escape: '# escape=`\nFROM a\nRUN dir c:\\ `\n  && echo done\nENV P="C:\\Program Files`"x"\n',
  heredocs:
    'FROM a\nRUN <<EOF\nFROM x\nEOF\nRUN cat <<A > /a && cat <<\'B\' > /b\na\nA\nb\nB\nCOPY <<-"EOT" /etc/c\n\tk=v\n\tEOT\nRUN ["cat", "<<EOF"]\nRUN echo a<<EOF\n',
  globals:
    'ARG A=1 B\nARG C="x y"\nFROM --platform=$BUILDPLATFORM golang:${A} AS Build\nFROM build\nARG D=2\n',
};

/** Files BuildKit rejects; our parser must reject them on the same line. */
const invalid: Readonly<Record<string, string>> = {
  'an instruction before FROM': 'ARG A\n# c\nRUN echo\nFROM a\n',
  'a FROM without image': 'FROM a\n\nFROM\n',
  'a FROM with only a platform': 'FROM --platform=$BUILDPLATFORM\n',
  'a FROM with two words': 'FROM a b\n',
  'a FROM with a bad AS': 'FROM a TO b\n',
  'an invalid stage name': 'FROM a AS 1st\n',
  'an unknown FROM flag': 'FROM --plattform=x a\n',
  'an unknown instruction': 'FROM a\nRUNN echo\n',
  'an unterminated heredoc': 'FROM a\nRUN <<EOF\necho\n',
  'an unterminated chomped heredoc': 'FROM a\nRUN <<-EOF\necho\n EOF\n',
  'an ENV word without =': 'FROM a\nENV A=1 B\n',
  'an empty ENV': 'FROM a\nENV\n',
  'an empty ARG': 'FROM a\nARG\n',
  'a JSON array of numbers': 'FROM a\nCMD [1, 2]\n',
};

describe('parser agrees with BuildKit', () => {
  let oracle: string | undefined;
  let work: string | undefined;

  beforeAll(async () => {
    const go = await findGo();
    if (go === undefined) return;
    work = mkdtempSync(join(tmpdir(), 'crossdock-oracle-'));
    const bin = join(work, 'buildkit-oracle');
    const built = await execa(go, ['build', '-buildvcs=false', '-o', bin, '.'], {
      cwd: oracleDir,
      reject: false,
      all: true,
    });
    if (built.exitCode !== 0) {
      throw new Error(
        `building testdata/buildkit-oracle failed (${go} build, exit ${built.exitCode}); it needs the Go module proxy for github.com/moby/buildkit:\n${built.all ?? ''}`,
      );
    }
    oracle = bin;
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const cases: [string, () => string][] = [
    ...(['good', 'bad'] as const).flatMap((dir) =>
      readdirSync(join(testdata, dir))
        .filter((f) => f.endsWith('Dockerfile'))
        .sort()
        .map((f): [string, () => string] => [
          `${dir}/${f}`,
          () => readFileSync(join(testdata, dir, f), 'utf8'),
        ]),
    ),
    ['rendered generated', () => renderDockerfile(generated)],
    ['rendered hermetic', () => renderDockerfile(hermetic)],
    ['rendered kitchen sink', () => renderDockerfile(kitchenSink)],
    ...Object.entries(snippets).map(([name, text]): [string, () => string] => [
      `snippet ${name}`,
      () => text,
    ]),
  ];

  /** BuildKit's reading of a file, or undefined (with a loud skip) when Go is missing outside CI. */
  async function ask(source: string): Promise<OracleResult | OracleFailure | undefined> {
    if (oracle === undefined) {
      missingComponent(
        `Go toolchain not found (tried ${GO_CANDIDATES.join(', ')}): cannot build the BuildKit parser oracle`,
      );
      return undefined;
    }
    const { stdout } = await execa(oracle, [], { input: source });
    return JSON.parse(stdout) as OracleResult | OracleFailure;
  }

  it.each(cases)('%s', async (_, text) => {
    const source = text();
    const want = await ask(source);
    if (want === undefined) return;
    if ('error' in want) throw new Error(`BuildKit rejects this file: ${want.error}`);
    const got = parseDockerfile(source);

    expect(got.escape).toBe(want.escape);
    expect(got.globalArgs.map((a) => ({ name: a.name, default: a.default ?? null }))).toEqual(
      want.args,
    );
    expect(
      got.stages.map((s) => ({
        image: s.image,
        platform: s.platform ?? '',
        name: s.name ?? '',
        line: s.line,
      })),
    ).toEqual(want.stages);
    const ours = got.stages
      .flatMap((s) => [s.from, ...s.instructions])
      .map((i) => asOracle(i, got.escape));
    const firstFrom = want.instructions.findIndex((i) => i.keyword === 'FROM');
    expect(ours).toEqual(want.instructions.slice(firstFrom).map(comparable));
    expect(got.globalArgs.map((a) => a.line)).toEqual(
      want.instructions.slice(0, firstFrom).flatMap((i) => i.args.map(() => i.line)),
    );
  });

  it.each(Object.entries(invalid))('rejects %s on the line BuildKit names', async (_, source) => {
    const want = await ask(source);
    if (want === undefined) return;
    expect('error' in want).toBe(true);
    expect(() => parseDockerfile(source)).toThrow(DockerfileSyntaxError);
    try {
      parseDockerfile(source);
    } catch (e) {
      expect((e as DockerfileSyntaxError).line).toBe((want as OracleFailure).line);
    }
  });

  it('accepts an empty --platform like BuildKit', async () => {
    const want = await ask('FROM --platform= a\n');
    if (want === undefined) return;
    expect('error' in want).toBe(false);
    expect(parseDockerfile('FROM --platform= a\n').stages[0]?.platform).toBeUndefined();
  });
});
