import { describe, expect, it } from 'vitest';
import { CommandError, processRunner } from '../../src/support/process/runner';
import { scriptedRunner } from './scripted-runner';

// The tests' scripted runner must fail the way the real one does, or code that reads
// `notFound` (a hint to install Go or zig) is tested against an error it never gets.
describe('the scripted runner against the real one', () => {
  it('throws the same error for a program that is not on PATH', async () => {
    const program = 'crossdock-no-such-program';
    const real = await processRunner.run(program, ['--version']).catch((error: unknown) => error);
    const scripted = await scriptedRunner({ [`${program} --version`]: 'missing' })
      .run(program, ['--version'])
      .catch((error: unknown) => error);
    expect(real).toBeInstanceOf(CommandError);
    expect(scripted).toBeInstanceOf(CommandError);
    expect((real as CommandError).notFound).toBe(true);
    expect((scripted as CommandError).notFound).toBe(true);
    expect((scripted as CommandError).message).toBe((real as CommandError).message);
  });

  it('throws the same error for a non-zero exit, and returns it with allowFailure', async () => {
    const real = await processRunner.run('sh', ['-c', 'exit 3']).catch((error: unknown) => error);
    const scripted = await scriptedRunner({ 'sh -c exit 3': { exitCode: 3 } })
      .run('sh', ['-c', 'exit 3'])
      .catch((error: unknown) => error);
    expect((scripted as CommandError).exitCode).toBe((real as CommandError).exitCode);
    expect((scripted as CommandError).message).toBe((real as CommandError).message);
    const allowed = await scriptedRunner({ 'sh -c exit 3': { exitCode: 3 } }).run(
      'sh',
      ['-c', 'exit 3'],
      { allowFailure: true },
    );
    expect(allowed.exitCode).toBe(
      (await processRunner.run('sh', ['-c', 'exit 3'], { allowFailure: true })).exitCode,
    );
  });
});

describe('the real runner (node:child_process)', () => {
  it('passes input on stdin and returns stdout and stderr whole, final newline kept', async () => {
    const run = await processRunner.run('sh', ['-c', 'cat; echo err >&2'], { input: 'a\nb\n' });
    expect(run).toMatchObject({ stdout: 'a\nb\n', stderr: 'err\n', exitCode: 0 });
  });

  it('closes stdin when no input is given (a reader sees end of file, never hangs)', async () => {
    expect((await processRunner.run('cat', [], { timeoutMs: 5000 })).stdout).toBe('');
  });

  it('adds env to the parent environment, or replaces it with extendEnv false', async () => {
    const added = await processRunner.run('sh', ['-c', 'echo "$CROSSDOCK_T:${HOME:+home}"'], {
      env: { CROSSDOCK_T: 'x' },
    });
    expect(added.stdout).toBe('x:home\n');
    const alone = await processRunner.run('/bin/sh', ['-c', 'echo "$CROSSDOCK_T:${HOME:+home}"'], {
      env: { CROSSDOCK_T: 'y' },
      extendEnv: false,
    });
    expect(alone.stdout).toBe('y:\n');
  });

  it('stops a command at timeoutMs: an error, or the output so far with allowTimeout', async () => {
    await expect(processRunner.run('sleep', ['5'], { timeoutMs: 100 })).rejects.toThrow(
      /sleep 5 timed out after 100 ms/,
    );
    const run = await processRunner.run('sh', ['-c', 'echo started; sleep 5'], {
      timeoutMs: 300,
      allowTimeout: true,
    });
    expect(run).toMatchObject({ stdout: 'started\n', timedOut: true });
  });

  it('reports a signal as the shell does (128 + its number)', async () => {
    const run = await processRunner.run('sh', ['-c', 'kill -KILL $$'], { allowFailure: true });
    expect(run).toMatchObject({ exitCode: 137, signal: 'SIGKILL' });
    await expect(processRunner.run('sh', ['-c', 'kill -KILL $$'])).rejects.toThrow(
      /was killed by SIGKILL/,
    );
  });

  it('tells a missing working directory from a missing program', async () => {
    const error = await processRunner
      .run('sh', ['-c', 'true'], { cwd: '/nonexistent/crossdock' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).notFound).toBe(false);
    expect((error as CommandError).message).toMatch(/working directory \/nonexistent\/crossdock/);
  });
});
