import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
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

/** The real runner, on node:child_process: an argument array, no shell, stdin closed unless `input` is given. */
export const processRunner: Runner = {
  run(command, args, options = {}) {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const env = options.extendEnv === false ? options.env : { ...process.env, ...options.env };
      let child: ChildProcess;
      try {
        child = spawn(command, [...args], {
          cwd: options.cwd,
          env: env as NodeJS.ProcessEnv,
          stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        });
      } catch (error) {
        reject(startFailure(command, args, options, error as NodeJS.ErrnoException));
        return;
      }
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
      let timedOut = false;
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              child.kill('SIGTERM');
            }, options.timeoutMs);
      let failedToStart = false;
      child.on('error', (error: NodeJS.ErrnoException) => {
        failedToStart = true;
        clearTimeout(timer);
        reject(startFailure(command, args, options, error));
      });
      if (options.input !== undefined) {
        // A program that exits without reading all of its input is not an error of ours.
        child.stdin?.on('error', () => undefined);
        child.stdin?.end(options.input);
      }
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (failedToStart) return;
        const run: RunResult = {
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          exitCode: code ?? 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0),
          durationMs: performance.now() - started,
          ...(signal ? { signal } : {}),
        };
        if (timedOut) {
          if (options.allowTimeout) resolve({ ...run, timedOut: true });
          else
            reject(
              new CommandError(
                command,
                args,
                undefined,
                tail(run.stderr),
                `timed out after ${options.timeoutMs} ms`,
              ),
            );
          return;
        }
        if (run.exitCode !== 0 && !options.allowFailure) {
          const reason = signal ? `was killed by ${signal}` : `exited with code ${run.exitCode}`;
          reject(new CommandError(command, args, run.exitCode, tail(run.stderr), reason));
          return;
        }
        resolve(run);
      });
    });
  },
};

/** Why a program could not start: not on PATH (`notFound`), a missing working directory, or else. */
function startFailure(
  command: string,
  args: readonly string[],
  options: RunOptions,
  error: NodeJS.ErrnoException,
): CommandError {
  if (error.code === 'ENOENT' && options.cwd !== undefined && !existsSync(options.cwd))
    return new CommandError(
      command,
      args,
      undefined,
      '',
      `could not start: its working directory ${options.cwd} does not exist`,
    );
  if (error.code === 'ENOENT') return programNotFound(command, args);
  return new CommandError(command, args, undefined, '', `could not start: ${error.message}`);
}
