import {
  CommandError,
  programNotFound,
  type RunOptions,
  type RunResult,
  type Runner,
} from '../../src/support/process/runner';

/** A scripted answer: a result (exit code 0 unless given), or `missing` (the program is not on PATH). */
export type Reply = Partial<RunResult> | 'missing';

/**
 * A runner that answers from a script keyed by `program arg...`, records every call with its
 * options, and fails the test on a command it was not told about. It throws what the real
 * runner throws: `programNotFound` for a missing program, a CommandError for a non-zero exit
 * without `allowFailure`.
 */
export function scriptedRunner(
  script: Readonly<Record<string, Reply>>,
): Runner & { calls: { line: string; options?: RunOptions }[] } {
  const calls: { line: string; options?: RunOptions }[] = [];
  return {
    calls,
    async run(command, args, options) {
      const line = [command, ...args].join(' ');
      calls.push({ line, ...(options ? { options } : {}) });
      const reply = script[line];
      if (reply === undefined) throw new Error(`unexpected command: ${line}`);
      if (reply === 'missing') throw programNotFound(command, args);
      const result = { stdout: '', stderr: '', exitCode: 0, durationMs: 1, ...reply };
      if (result.exitCode !== 0 && !options?.allowFailure)
        throw new CommandError(
          command,
          args,
          result.exitCode,
          result.stderr,
          `exited with code ${result.exitCode}`,
        );
      return result;
    },
  };
}
