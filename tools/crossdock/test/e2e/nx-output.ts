/** The tasks an nx run printed, split into those it ran and those it restored from the cache. */
export interface TaskOutcomes {
  readonly ran: readonly string[];
  readonly cached: readonly string[];
}

/**
 * Reads `> nx run project:target` lines of `--outputStyle=static` output; a trailing
 * `[local cache]` or `[existing outputs match the cache, left as is]` marks a cache hit.
 */
export function taskOutcomes(output: string): TaskOutcomes {
  // A set: Nx 24 prints the line of a batch's only task twice (when it starts and with its output).
  const ran = new Set<string>();
  const cached = new Set<string>();
  // Nx colours its task lines under CI=true even with --outputStyle=static.
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  for (const match of plain.matchAll(/^> nx run (\S+)(.*)$/gm)) {
    if (/\[(local cache|remote cache|existing outputs match the cache)/.test(match[2]))
      cached.add(match[1]);
    else ran.add(match[1]);
  }
  return { ran: [...ran].sort(), cached: [...cached].sort() };
}
