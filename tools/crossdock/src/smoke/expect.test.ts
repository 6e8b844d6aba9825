import { describe, expect, it } from 'vitest';
import { parsePlatform } from '@crossdock/platform';
import { checkSmokeOutput, escapeRegExp, expectedPattern, firstOutputLine } from './expect';

/** The sample apps' nx.json default. */
const SAMPLE = '"os":"{os}","arch":"{arch}","variant":"{variant}"';
const json = (arch: string, variant = '') =>
  `{"name":"hello","version":"1.0.0","os":"linux","arch":"${arch}","variant":"${variant}","go":"go1.26.8"}\n`;
const ok = (stdout: string, stderr = '') => ({ exitCode: 0, stdout, stderr });

describe('expectedPattern', () => {
  it.each([
    ['linux/amd64', '"os":"linux","arch":"amd64","variant":""'],
    ['linux/arm/v7', '"os":"linux","arch":"arm","variant":"v7"'],
    ['linux/ppc64le', '"os":"linux","arch":"ppc64le","variant":""'],
  ])('replaces {os}, {arch}, {variant} for %s', (platform, source) => {
    expect(expectedPattern(SAMPLE, parsePlatform(platform))!.source).toBe(source);
  });

  it('an empty template means no check', () =>
    expect(expectedPattern('', parsePlatform('linux/amd64'))).toBeUndefined());

  it('keeps the template a regular expression and escapes only the values', () => {
    const pattern = expectedPattern('^hello \\S+ {os}/{arch}$', parsePlatform('linux/arm64'))!;
    expect(pattern.test('hello 1.0 linux/arm64')).toBe(true);
    expect(pattern.test('hello 1.0 linux/arm6')).toBe(false);
  });

  it.each([
    ['a.b', 'a\\.b'],
    ['(x)*', '\\(x\\)\\*'],
    ['[v]{1}', '\\[v\\]\\{1\\}'],
  ])('escapeRegExp(%s) = %s', (text, escaped) => expect(escapeRegExp(text)).toBe(escaped));
});

describe('checkSmokeOutput', () => {
  const arm64 = parsePlatform('linux/arm64');
  const armv7 = parsePlatform('linux/arm/v7');

  it('passes on exit 0 and a matching output', () => {
    expect(checkSmokeOutput(ok(json('arm64')), expectedPattern(SAMPLE, arm64))).toEqual({
      ok: true,
    });
    expect(checkSmokeOutput(ok(json('arm', 'v7')), expectedPattern(SAMPLE, armv7))).toEqual({
      ok: true,
    });
  });

  it('matches stderr too (some programs print their version there)', () => {
    expect(checkSmokeOutput(ok('', json('arm64')), expectedPattern(SAMPLE, arm64))).toEqual({
      ok: true,
    });
  });

  it('passes any output on exit 0 without a pattern', () => {
    expect(checkSmokeOutput(ok('whatever'), undefined)).toEqual({ ok: true });
  });

  it('fails a non-zero exit, naming the code and the output', () => {
    const verdict = checkSmokeOutput(
      { exitCode: 1, stdout: '', stderr: 'boom\n' },
      expectedPattern(SAMPLE, arm64),
    );
    expect(verdict).toEqual({
      ok: false,
      reason: 'the entrypoint exited with code 1, expected 0; it printed:\nboom',
    });
  });

  it('names the signal that killed the program, with a hint for SIGILL', () => {
    const verdict = checkSmokeOutput(
      {
        exitCode: 132,
        signal: 'SIGILL',
        stdout: '',
        stderr: 'qemu: uncaught target signal 4 (Illegal instruction) - core dumped\n',
      },
      undefined,
    );
    expect(verdict).toMatchObject({
      ok: false,
      reason: expect.stringContaining(
        'the entrypoint was killed by SIGILL (exit code 132): it uses instructions',
      ),
    });
  });

  it('fails a wrong architecture, naming the expected pattern and the actual output', () => {
    const verdict = checkSmokeOutput(ok(json('amd64')), expectedPattern(SAMPLE, arm64));
    expect(verdict.ok).toBe(false);
    const reason = (verdict as { reason: string }).reason;
    expect(reason).toContain(
      'the output does not match smokeExpect: expected /"os":"linux","arch":"arm64","variant":""/',
    );
    expect(reason).toContain('"arch\\":\\"amd64\\"');
  });

  it('fails a wrong GOARM: a v6 binary labelled v7', () => {
    expect(checkSmokeOutput(ok(json('arm', 'v6')), expectedPattern(SAMPLE, armv7)).ok).toBe(false);
  });

  it('fails no output at all when a pattern is given', () => {
    expect(checkSmokeOutput(ok(''), expectedPattern(SAMPLE, arm64))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('got no output'),
    });
  });
});

describe('firstOutputLine', () => {
  it.each([
    [{ stdout: '\n  first\nsecond\n', stderr: 'err' }, 'first'],
    [{ stdout: '', stderr: 'from stderr\n' }, 'from stderr'],
    [{ stdout: '', stderr: '' }, ''],
  ])('%j → %s', (output, line) => expect(firstOutputLine(output)).toBe(line));
});
