import type { Platform } from '@crossdock/platform';
import { formatPlatform, parsePlatform } from '@crossdock/platform';

/** One RUN step of a BuildKit build, as its plain progress log names it. */
export interface RunStep {
  /** The step's label, e.g. `[linux/amd64->arm64 build 4/4]`. */
  readonly label: string;
  /** The platform the step runs on (the label's first platform), when BuildKit names one. */
  readonly runsOn?: string;
}

/**
 * The RUN steps of a `--progress=plain` log, once each, sorted by label. In a multi-platform build BuildKit names
 * every step with the platform it runs on and, when that differs, the target:
 * `#12 [linux/amd64->arm64 build 4/4] RUN go build …` runs on amd64 for arm64; a
 * `[linux/arm64 …] RUN` step would run on arm64, i.e. emulated on an amd64 builder.
 */
export function runSteps(log: string): RunStep[] {
  const seen = new Map<string, RunStep>();
  for (const line of log.split('\n')) {
    const match = /^#(\d+) (\[[^\]]*\]) RUN /.exec(line);
    if (!match || seen.has(match[1]!)) continue;
    const label = match[2]!;
    const runsOn = /^\[([a-z0-9]+\/[a-z0-9]+(?:\/v\d+)?)(?:->\S+)? /.exec(label)?.[1];
    seen.set(match[1]!, { label, ...(runsOn ? { runsOn } : {}) });
  }
  // Sorted by label: BuildKit runs the platforms' steps concurrently, so the log's order varies.
  return [...seen.values()].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/**
 * One log line saying where the RUN steps of a build ran, relative to the builder's own
 * platform (`native`, the first one its node lists): none, all on it, or which ones ran on
 * another platform (emulated).
 */
export function describeRunSteps(steps: readonly RunStep[], native: Platform | undefined): string {
  if (steps.length === 0) return 'BuildKit ran no RUN step: nothing was emulated';
  const arch = (text: string) => {
    try {
      return parsePlatform(text).architecture;
    } catch {
      return text;
    }
  };
  const named = steps.filter((step) => step.runsOn !== undefined);
  if (native === undefined || named.length < steps.length)
    return `BuildKit ran ${steps.length} RUN step(s): ${steps.map((s) => s.label).join(', ')}`;
  const foreign = named.filter((step) => arch(step.runsOn!) !== native.architecture);
  if (foreign.length === 0)
    return `BuildKit ran ${steps.length} RUN step(s), all on the builder's own ${formatPlatform(native)}: ${steps.map((s) => s.label).join(', ')}; nothing was emulated`;
  return `BuildKit ran ${foreign.length} of ${steps.length} RUN step(s) on another platform than the builder's ${formatPlatform(native)} (emulated): ${foreign.map((s) => s.label).join(', ')}`;
}
