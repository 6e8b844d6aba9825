import { formatDuration } from './format';

/** Wall time per named phase of a pipeline, for the one line that says where an image's time went. */
export interface PhaseTimer {
  /** Runs `body` and adds its wall time to `phase`. */
  time<T>(phase: string, body: () => Promise<T>): Promise<T>;
  /** `inputs 2ms, base 40ms, ...` in the order the phases first ran. */
  summary(): string;
}

export function phaseTimer(): PhaseTimer {
  const totals = new Map<string, number>();
  return {
    async time(phase, body) {
      const started = performance.now();
      try {
        return await body();
      } finally {
        totals.set(phase, (totals.get(phase) ?? 0) + performance.now() - started);
      }
    },
    summary: () => [...totals].map(([phase, ms]) => `${phase} ${formatDuration(ms)}`).join(', '),
  };
}
