import type { SmokeOutput, SmokeVerdict } from './expect';

/**
 * The default smoke criterion, "it starts": proves the binary runs on its architecture (no
 * exec format error, its loader found) and that the Go runtime came up, whatever the program
 * thinks of its arguments or environment. The Go runtime traces each package's init to
 * stderr under GODEBUG=inittrace=1 before main runs, so a line `init runtime @...` is the
 * runtime itself saying it started. Then the run passes when it exited with any status, or is
 * still running at the deadline (a server), unless it crashed: a panic or fatal error trace,
 * or death by a signal it did not ask for.
 */

/** The GODEBUG setting whose output proves the Go runtime started. */
export const RUNTIME_TRACE = 'inittrace=1';

/** A line the Go runtime writes per package init under inittrace: `init runtime @0.038 ms, ...`. */
const INIT_LINE = /^init \S+ @[0-9.]+ m?s, /;

/** Lines of a crash trace: a panic, a fatal runtime error, a signal the runtime turned into a trace. */
const CRASH = /^(panic: |fatal error: |SIG[A-Z]+: |runtime: |This program can only be run on)/m;

/** The environment of a start-check run: the image's, with the runtime trace added to GODEBUG. */
export function withRuntimeTrace(env: Readonly<Record<string, string>>): Record<string, string> {
  const current = env['GODEBUG'];
  return { ...env, GODEBUG: current ? `${current},${RUNTIME_TRACE}` : RUNTIME_TRACE };
}

/** A text without the runtime's init trace lines (for reports: what the program itself printed). */
export function withoutRuntimeTrace(text: string): string {
  return text
    .split('\n')
    .filter((line) => !INIT_LINE.test(line))
    .join('\n');
}

/**
 * Judges a start-check run. `timedOut`: it was still running at the deadline and was stopped
 * (its signal is then ours, not a crash).
 */
export function checkStarted(output: SmokeOutput & { readonly timedOut?: boolean }): SmokeVerdict {
  const started = output.stderr.split('\n').some((line) => INIT_LINE.test(line));
  const printed = lastLines(withoutRuntimeTrace(output.stderr), 10) || lastLines(output.stdout, 10);
  const said = printed ? `; it printed:\n${printed}` : ' (no output)';
  if (!started) {
    const how = output.timedOut
      ? 'was still running at the deadline'
      : output.signal !== undefined
        ? `was killed by ${output.signal}`
        : `exited with code ${output.exitCode}`;
    return {
      ok: false,
      reason: `the Go runtime did not start: the entrypoint ${how} before the runtime traced its first init (GODEBUG=${RUNTIME_TRACE}). Not a Go binary of this platform, a missing loader, or a CPU it cannot run on${said}`,
    };
  }
  const crash = CRASH.exec(withoutRuntimeTrace(output.stderr));
  if (crash !== null)
    return {
      ok: false,
      reason: `the entrypoint crashed at start (${crash[1].trim()}...)${said}`,
    };
  if (output.signal !== undefined && !output.timedOut)
    return {
      ok: false,
      reason: `the entrypoint was killed by ${output.signal} (exit code ${output.exitCode})${output.signal === 'SIGILL' ? ": it uses instructions the platform's CPU does not have (built for a higher GOARM or GOAMD64?)" : ''}${said}`,
    };
  return { ok: true };
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n').trim();
}
