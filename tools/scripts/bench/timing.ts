import type { Runner, RunOptions } from '../../crossdock/src/support/process/runner';
import { sample, type Sample } from './stats';

/** A log line sink for progress (stderr in main; silent in tests). */
export type Log = (line: string) => void;

/** One command of a measurement: program, argument array and run options. */
export interface Command {
  readonly command: string;
  readonly args: readonly string[];
  readonly options?: RunOptions;
}

/**
 * The wall time of one whole process, in milliseconds. A failing command throws the
 * runner's CommandError (command, exit code, stderr tail): a benchmark of a broken build is
 * no figure.
 */
export async function timeCommand(runner: Runner, command: Command): Promise<number> {
  const started = performance.now();
  await runner.run(command.command, command.args, command.options);
  return performance.now() - started;
}

/** The wall time of several commands run one after another. */
export async function timeSequence(runner: Runner, commands: readonly Command[]): Promise<number> {
  const started = performance.now();
  for (const command of commands) await runner.run(command.command, command.args, command.options);
  return performance.now() - started;
}

/** The wall time of commands run with at most `concurrency` at once (a small pool, like Nx's --parallel). */
export async function timeParallel(
  runner: Runner,
  commands: readonly Command[],
  concurrency: number,
): Promise<number> {
  const started = performance.now();
  const queue = [...commands];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift())
      await runner.run(next.command, next.args, next.options);
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, commands.length)) }, worker),
  );
  return performance.now() - started;
}

/**
 * Several measurements taken side by side: run i of every measurement happens before run
 * i+1 of any, so a machine that slows down (heat, other load) slows every column alike.
 * Each step returns the milliseconds of its own run (its setup is not timed).
 */
export async function interleaved<K extends string>(
  runs: number,
  steps: Readonly<Record<K, (run: number) => Promise<number>>>,
  log: Log,
  label: string,
): Promise<Record<K, Sample>> {
  const times = Object.fromEntries(
    Object.keys(steps).map((key) => [key, [] as number[]]),
  ) as Record<K, number[]>;
  for (let run = 0; run < runs; run += 1) {
    for (const key of Object.keys(steps) as K[]) {
      const ms = await steps[key](run);
      times[key].push(ms);
      log(`${label}: ${key} run ${run + 1}/${runs}: ${(ms / 1000).toFixed(2)} s`);
    }
  }
  return Object.fromEntries(
    Object.entries(times).map(([key, value]) => [key, sample(value as number[])]),
  ) as Record<K, Sample>;
}
