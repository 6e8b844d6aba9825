import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runner, RunOptions } from '../../crossdock/src/support/process/runner';

/** How long one command took: wall-clock seconds, and CPU seconds of it and its waited-for children. */
export interface CpuTiming {
  readonly wallSeconds: number;
  /** User + system CPU seconds (GNU time's %U + %S), when /usr/bin/time is there. */
  readonly cpuSeconds?: number;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Runs a command through the runner and times it. CPU time comes from GNU time when it is
 * installed: on a machine shared with other work, it moves far less than the wall clock.
 */
export async function timeWithCpu(
  runner: Runner,
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<CpuTiming> {
  if (!existsSync(GNU_TIME)) {
    const result = await runner.run(command, args, options);
    return { wallSeconds: result.durationMs / 1000 };
  }
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-bench-time-'));
  try {
    const timeFile = join(dir, 'time');
    const result = await runner.run(
      GNU_TIME,
      ['-f', '%U %S', '-o', timeFile, command, ...args],
      options,
    );
    const [user, system] = readFileSync(timeFile, 'utf8')
      .trim()
      .split('\n')
      .pop()!
      .split(' ')
      .map(Number);
    return { wallSeconds: result.durationMs / 1000, cpuSeconds: user + system };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The timing with the median wall time of `runs` repetitions of `measure`. */
export async function medianTiming(
  runs: number,
  measure: () => Promise<CpuTiming>,
): Promise<CpuTiming> {
  const timings: CpuTiming[] = [];
  for (let i = 0; i < runs; i++) timings.push(await measure());
  return [...timings].sort((a, b) => a.wallSeconds - b.wallSeconds)[Math.floor(timings.length / 2)];
}
