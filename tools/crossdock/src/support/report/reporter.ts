/** Where progress lines and summaries go. Executors write through one of these, never console directly. */
export interface Reporter {
  /** A progress line about one project (and platform). */
  step(message: string): void;
  /** A warning that must be seen (a skipped platform, a fallback path). */
  warn(message: string): void;
  /** A block of text such as a summary table. */
  block(text: string): void;
  /**
   * A line about a step still running (a download, a C library being built), shown at once
   * and not kept in the task's output; absent, `step` is used. In an Nx batch, `step` lines
   * appear only when the task ends.
   */
  progress?(message: string): void;
}

/** A reporter that prefixes every line with the project name, for Nx's interleaved output. */
export function consoleReporter(
  project: string,
  stream: NodeJS.WritableStream = process.stdout,
): Reporter {
  const write = (text: string) => stream.write(`${text}\n`);
  return {
    step: (message) => write(`[${project}] ${message}`),
    warn: (message) => write(`[${project}] WARNING: ${message}`),
    block: (text) => write(text),
  };
}
