import { describe, expect, it } from 'vitest';
import { CommandError, execaRunner } from '../../src/support/process/runner';
import { scriptedRunner } from './scripted-runner';

// The tests' scripted runner must fail the way the real one does, or code that reads
// `notFound` (a hint to install Go or zig) is tested against an error it never gets.
describe('the scripted runner against the real one', () => {
  it('throws the same error for a program that is not on PATH', async () => {
    const program = 'crossdock-no-such-program';
    const real = await execaRunner.run(program, ['--version']).catch((error: unknown) => error);
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
    const real = await execaRunner.run('sh', ['-c', 'exit 3']).catch((error: unknown) => error);
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
      (await execaRunner.run('sh', ['-c', 'exit 3'], { allowFailure: true })).exitCode,
    );
  });
});
