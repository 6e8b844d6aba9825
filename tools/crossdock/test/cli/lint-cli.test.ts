import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../scripts/testing/workspace-copy';

// `crossdock lint` as a user runs it: the real bin script, from a directory inside the
// workspace, on the Dockerfiles of libs/dockerfile/testdata.
const BIN = join(REPO_ROOT, 'tools/crossdock/bin/crossdock.js');
const TESTDATA = join(REPO_ROOT, 'libs/dockerfile/testdata');

async function lint(args: readonly string[], cwd = TESTDATA) {
  const result = await execa('node', [BIN, 'lint', ...args], {
    cwd,
    reject: false,
    stripFinalNewline: false,
  });
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
}

describe('crossdock lint', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'crossdock-lint-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('passes every good Dockerfile, the generated and hermetic shapes included', async () => {
    const good = readdirSync(join(TESTDATA, 'good'))
      .filter((f) => f.endsWith('Dockerfile'))
      .map((f) => `good/${f}`);
    const run = await lint(['--strict', ...good]);
    expect(run.stdout).toBe(
      `${good.length} files checked: 0 errors, 0 warnings (--strict: warnings fail too)\n`,
    );
    expect(run.exitCode).toBe(0);
  });

  it('reports a multi-stage chain with file, line and why, and exits 1 for errors', async () => {
    const run = await lint(['bad/stage-chain.Dockerfile']);
    expect(run.exitCode).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^bad\/stage-chain\.Dockerfile:10: error: RUN in stage "c" \(line 10\) runs on the target platform: the stage has no --platform=\$BUILDPLATFORM, so for a foreign target BuildKit runs it under QEMU emulation\. .* \[emulated-run\]$/,
    );
    expect(lines[1]).toMatch(
      /^bad\/stage-chain\.Dockerfile:12: error: RUN in stage "d" \(line 12\) runs on the target platform: the stage builds on "c" \(line 8\), and stage "c" has no --platform=\$BUILDPLATFORM/,
    );
    expect(lines[2]).toBe('1 file checked: 2 errors, 0 warnings');
  });

  it('prints warnings but exits 0 for them, unless --strict', async () => {
    const relaxed = await lint(['bad/fixed-platform.Dockerfile']);
    expect(relaxed.exitCode).toBe(0);
    expect(relaxed.stdout).toMatch(
      /^bad\/fixed-platform\.Dockerfile:5: warning: RUN in stage "web" \(line 5\) runs on fixed platform linux\/amd64, emulated on other build hosts/m,
    );
    expect(relaxed.stdout).toMatch(/^bad\/fixed-platform\.Dockerfile:7: warning: /m);
    expect(relaxed.stdout).toMatch(/1 file checked: 0 errors, 2 warnings\n$/);
    const strict = await lint(['--strict', 'bad/fixed-platform.Dockerfile']);
    expect(strict.exitCode).toBe(1);
  });

  it('lints every bad file of the testdata with the findings the library test lists', async () => {
    const run = await lint(
      readdirSync(join(TESTDATA, 'bad'))
        .sort()
        .map((f) => `bad/${f}`),
    );
    expect(run.exitCode).toBe(1);
    const found = [...run.stdout.matchAll(/^bad\/(\S+):(\d+): (error|warning): /gm)].map(
      (m) => `${m[1]}:${m[2]}:${m[3]}`,
    );
    expect(found).toEqual([
      'final-stage-run.Dockerfile:9:error',
      'final-stage-run.Dockerfile:13:error',
      'fixed-platform.Dockerfile:5:warning',
      'fixed-platform.Dockerfile:7:warning',
      'heredoc-target.Dockerfile:10:error',
      'heredoc-target.Dockerfile:14:error',
      'naive-go.Dockerfile:6:error',
      'naive-go.Dockerfile:8:error',
      'naive-go.Dockerfile:11:error',
      'stage-chain.Dockerfile:10:error',
      'stage-chain.Dockerfile:12:error',
      'target-arg.Dockerfile:9:error',
      'target-arg.Dockerfile:12:warning',
    ]);
    expect(run.stdout).toMatch(/6 files checked: 10 errors, 3 warnings\n$/);
  });

  it('resolves paths against the current directory and reports unreadable and unparsable files as errors', async () => {
    writeFileSync(
      join(scratch, 'Broken.Dockerfile'),
      'FROM scratch\nRUN <<EOF\necho never closed\n',
    );
    const run = await lint([
      join(scratch, 'Broken.Dockerfile'),
      'missing.Dockerfile',
      'good/xx-cross.Dockerfile',
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(
        `^${scratch.replaceAll('/', '\\/')}/Broken\\.Dockerfile:\\d+: error: .* \\[syntax\\]$`,
        'm',
      ),
    );
    expect(run.stdout).toMatch(/^missing\.Dockerfile: error: cannot read it \(ENOENT\)$/m);
    expect(run.stdout).toMatch(/3 files checked: 2 errors, 0 warnings\n$/);
  });

  it('exits 2 with the usage for a bad command line', async () => {
    const none = await lint([]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('crossdock lint: give at least one Dockerfile');
    expect(none.stderr).toContain('usage: crossdock lint [--strict] <Dockerfile>...');
    const unknown = await lint(['--fix', 'good/xx-cross.Dockerfile']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown option --fix');
  });

  it('is listed by crossdock --help', async () => {
    const run = await execa('node', [BIN, '--help'], { cwd: REPO_ROOT });
    expect(run.stdout).toMatch(
      /^ {2}lint +report RUN steps of Dockerfiles that would run under emulation$/m,
    );
  });
});
