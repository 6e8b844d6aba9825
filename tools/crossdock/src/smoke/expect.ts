import type { Platform } from '@crossdock/platform';

/** What a finished smoke run printed and how it ended. */
export interface SmokeOutput {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The signal that killed it, if one did (then exitCode is 128 + its number). */
  readonly signal?: string;
}

/** The verdict on one smoke run's output: passed, or failed with the reason. */
export type SmokeVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Escapes every character that has a meaning in a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The pattern a platform's smoke output must match: the smokeExpect option with `{os}`,
 * `{arch}` and `{variant}` replaced by the platform's values, regex-escaped (`{variant}` is
 * empty for a platform without one). An empty template means no check: undefined.
 */
export function expectedPattern(template: string, platform: Platform): RegExp | undefined {
  if (template === '') return undefined;
  const values: Record<string, string> = {
    os: platform.os,
    arch: platform.architecture,
    variant: platform.variant ?? '',
  };
  return new RegExp(
    template.replace(/\{(os|arch|variant)\}/g, (_match, key: string) => escapeRegExp(values[key]!)),
  );
}

/** The first non-blank line of stdout, else of stderr, else the empty string. */
export function firstOutputLine(output: Pick<SmokeOutput, 'stdout' | 'stderr'>): string {
  for (const text of [output.stdout, output.stderr]) {
    const line = text.split('\n').find((l) => l.trim() !== '');
    if (line !== undefined) return line.trim();
  }
  return '';
}

/** The last lines of a text, for messages. */
function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/**
 * Judges a smoke run: the exit code must be 0 and, when a pattern is given, stdout and
 * stderr together must match it. A failure names the exit code (or signal) or the
 * expected pattern, and what the program actually printed.
 */
export function checkSmokeOutput(output: SmokeOutput, pattern: RegExp | undefined): SmokeVerdict {
  if (output.exitCode !== 0) {
    const printed = lastLines(output.stderr, 10) || lastLines(output.stdout, 10);
    const how =
      output.signal === undefined
        ? `exited with code ${output.exitCode}, expected 0`
        : `was killed by ${output.signal} (exit code ${output.exitCode})${output.signal === 'SIGILL' ? ": it uses instructions the platform's CPU does not have (built for a higher GOARM or GOAMD64?)" : ''}`;
    return {
      ok: false,
      reason: `the entrypoint ${how}${printed ? `; it printed:\n${printed}` : ' (no output)'}`,
    };
  }
  if (pattern === undefined) return { ok: true };
  const combined = `${output.stdout}${output.stdout.endsWith('\n') || output.stdout === '' ? '' : '\n'}${output.stderr}`;
  if (pattern.test(combined)) return { ok: true };
  const actual = lastLines(combined, 5);
  return {
    ok: false,
    reason:
      `the output does not match smokeExpect: expected /${pattern.source}/, ` +
      `got ${actual === '' ? 'no output' : JSON.stringify(actual)}. A binary built for another GOARCH or GOARM prints another platform`,
  };
}
