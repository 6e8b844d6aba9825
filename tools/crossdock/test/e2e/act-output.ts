import { taskOutcomes, type TaskOutcomes } from './nx-output';

/** act's line prefix: `[<workflow>/<job>]`, the job name padded with spaces to align. */
const PREFIX = /^\[images\/([^\]]*?)\s*\](.*)$/;

/** Each line of an act log with the job it belongs to (colours removed). */
function lines(log: string): { job: string; text: string }[] {
  return log
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .flatMap((line) => {
      const match = PREFIX.exec(line);
      return match ? [{ job: match[1]!, text: match[2]! }] : [];
    });
}

/**
 * The output of one job of an act log: act prefixes every line with `[<workflow>/<job>]`
 * and a step's own output with `|`; a workflow command it shows as `❓  ::group::…` (Nx, seeing
 * GITHUB_ACTIONS, prints each task's closing `> nx run` line as a group with a status emoji).
 * This returns that job's lines with those prefixes removed.
 */
export function jobOutput(log: string, job: string): string {
  return lines(log)
    .filter((line) => line.job === job)
    .map((line) => line.text.replace(/^\s*\|\s?/, '').replace(/^\s*❓\s+::group::\S*\s*/u, ''))
    .join('\n');
}

/** The names of the jobs in an act log called `stem` or `stem-N` (build-1, build-2, ...). */
export function jobNames(log: string, stem: string): string[] {
  const names = new Set<string>();
  for (const { job } of lines(log))
    if (job === stem || new RegExp(`^${stem}-\\d+$`).test(job)) names.add(job);
  return [...names].sort();
}

/** Whether the act log says the job succeeded (act's `🏁  Job succeeded` line). */
export function jobSucceeded(log: string, job: string): boolean {
  return /🏁\s+Job succeeded/.test(jobOutput(log, job));
}

/** The Nx tasks one job ran and restored, read from its `> nx run` lines. */
export function jobTasks(log: string, job: string): TaskOutcomes {
  return taskOutcomes(jobOutput(log, job));
}

/**
 * The counts the Nx cache server of a job printed when its post step stopped it (`crossdock
 * cache: stopped; hits 1, misses 0, stored 0, …`), by name; undefined when the job has none.
 */
export function cacheServerCounts(log: string, job: string): Record<string, number> | undefined {
  const line = /crossdock cache: stopped; (.*)$/m.exec(jobOutput(log, job))?.[1];
  if (line === undefined) return undefined;
  return Object.fromEntries(
    line.split(', ').map((part) => {
      const match = /^(.*) (\d+)$/.exec(part.trim());
      return [match?.[1] ?? part, Number(match?.[2])];
    }),
  );
}
