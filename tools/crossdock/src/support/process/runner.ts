import { constants as osConstants } from 'node:os';
import { CrossdockError } from '../crossdock-error';

/** What a finished command printed and how it ended. */
export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The exit code; for a process killed by a signal, 128 + the signal number, as a shell reports it. */
  readonly exitCode: number;
  readonly durationMs: number;
  /** The signal that killed the process (SIGILL, SIGSEGV...), if one did. */
  readonly signal?: string;
  /** True when it was still running at timeoutMs and stopped (only with allowTimeout). */
  readonly timedOut?: boolean;
}

/** How to run one command: an argument array, never a shell string. */
export interface RunOptions {
  readonly cwd?: string;
  /** The whole environment of the child when `extendEnv` is false; added to the parent's otherwise. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly extendEnv?: boolean;
  readonly input?: string | Uint8Array;
  readonly timeoutMs?: number;
  /** Resolve with the exit code instead of throwing on a non-zero exit. */
  readonly allowFailure?: boolean;
  /** Resolve with `timedOut: true` and the output so far instead of throwing at timeoutMs. */
  readonly allowTimeout?: boolean;
}

/** Runs processes. One implementation for real use; tests may wrap it to record calls. */
export interface Runner {
  run(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
}

/** A command that failed: carries the command line, the exit code and the tail of stderr. */
export class CommandError extends CrossdockError {
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly exitCode: number | undefined,
    readonly stderrTail: string,
    reason: string,
    /** Why the process could not start (`ENOENT`: the program is not on PATH), when it did not. */
    readonly startError?: string,
  ) {
    super(`${[command, ...args].join(' ')} ${reason}${stderrTail ? `:\n${stderrTail}` : ''}`);
    this.name = 'CommandError';
  }

  /** True when the program itself was not found (not on PATH), as opposed to failing once started. */
  get notFound(): boolean {
    return this.startError === 'ENOENT';
  }
}

/** The error of a program that is not on PATH, as the real runner throws it (`notFound` is true). */
export function programNotFound(command: string, args: readonly string[]): CommandError {
  return new CommandError(
    command,
    args,
    undefined,
    '',
    `could not start: ${command} was not found on PATH`,
    'ENOENT',
  );
}

/** The last lines of some output, for error messages. */
export function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * execa, loaded on the first run: it is an ES module that takes about 90 ms to load, which
 * every short-lived process that never runs a command (a base-digest runtime input without
 * credential helpers, an image task restored from the cache) would pay at start.
 */
let execaModule: Promise<typeof import('execa')> | undefined;

/** The real runner, on execa. */
export const execaRunner: Runner = {
  async run(command, args, options = {}) {
    const { execa } = await (execaModule ??= import('execa'));
    const started = performance.now();
    try {
      const result = await execa(command, [...args], {
        cwd: options.cwd,
        env: options.env as Record<string, string>,
        extendEnv: options.extendEnv ?? true,
        input: options.input,
        timeout: options.timeoutMs,
        reject: false,
        stripFinalNewline: false,
        encoding: 'utf8',
      });
      const durationMs = performance.now() - started;
      if (result.timedOut && options.allowTimeout)
        return {
          stdout: String(result.stdout ?? ''),
          stderr: String(result.stderr ?? ''),
          exitCode: result.exitCode ?? -1,
          durationMs,
          ...(result.signal ? { signal: String(result.signal) } : {}),
          timedOut: true,
        };
      if (result.timedOut)
        throw new CommandError(
          command,
          args,
          undefined,
          tail(String(result.stderr ?? '')),
          `timed out after ${options.timeoutMs} ms`,
        );
      if (result.signal !== undefined && result.exitCode === undefined) {
        const signal = String(result.signal);
        const run = {
          stdout: String(result.stdout ?? ''),
          stderr: String(result.stderr ?? ''),
          exitCode: 128 + (osConstants.signals[signal as NodeJS.Signals] ?? 0),
          durationMs,
          signal,
        };
        if (!options.allowFailure)
          throw new CommandError(
            command,
            args,
            run.exitCode,
            tail(run.stderr),
            `was killed by ${signal}`,
          );
        return run;
      }
      if (result.failed && result.exitCode === undefined) {
        const message = String(result.shortMessage ?? result.message ?? '');
        // ENOENT is also what a missing cwd gives; only a missing program is "not found".
        if ((result as { code?: string }).code === 'ENOENT' && !/"cwd" option/.test(message))
          throw programNotFound(command, args);
        throw new CommandError(command, args, undefined, '', `could not start: ${message}`);
      }
      const run = {
        stdout: String(result.stdout ?? ''),
        stderr: String(result.stderr ?? ''),
        exitCode: result.exitCode ?? -1,
        durationMs,
      };
      if (run.exitCode !== 0 && !options.allowFailure)
        throw new CommandError(
          command,
          args,
          run.exitCode,
          tail(run.stderr),
          `exited with code ${run.exitCode}`,
        );
      return run;
    } catch (error) {
      if (error instanceof CommandError) throw error;
      throw new CommandError(
        command,
        args,
        undefined,
        '',
        `could not start: ${(error as Error).message}`,
      );
    }
  },
};
