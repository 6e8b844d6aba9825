import { taskOutcomes, type TaskOutcomes } from './nx-output';

/**
 * The output of one job of an act log: act prefixes every line with `[<workflow>/<job>]`
 * and a step's own output with `|`; this returns that job's step output, unprefixed.
 */
export function jobOutput(log: string, job: string): string {
  const prefix = `[images/${job}]`;
  return log
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length).replace(/^\s*\|\s?/, ''))
    .join('\n');
}

/** The names of the jobs in an act log whose name starts with `stem` (build-1, build-2, ...). */
export function jobNames(log: string, stem: string): string[] {
  const names = new Set<string>();
  for (const match of log.matchAll(/^\[images\/([^\]]+)\]/gm))
    if (match[1] === stem || match[1].startsWith(`${stem}-`)) names.add(match[1]);
  return [...names].sort();
}

/** Whether the act log says the job succeeded (act's `🏁  Job succeeded` line). */
export function jobSucceeded(log: string, job: string): boolean {
  return log.includes(`[images/${job}] 🏁  Job succeeded`);
}

/** The Nx tasks one job ran and restored, read from its `> nx run` lines. */
export function jobTasks(log: string, job: string): TaskOutcomes {
  return taskOutcomes(jobOutput(log, job));
}
