/** The wall times of repeated runs of one measurement, in milliseconds, and their summary. */
export interface Sample {
  readonly runsMs: readonly number[];
  readonly minMs: number;
  readonly medianMs: number;
}

/** The smallest value; NaN for an empty list. */
export function min(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.min(...values);
}

/** The median (mean of the two middle values for an even count); NaN for an empty list. Never reorders its argument. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A sample from the run times, in run order. */
export function sample(runsMs: readonly number[]): Sample {
  return { runsMs: [...runsMs], minMs: min(runsMs), medianMs: median(runsMs) };
}

/** The run-to-run spread, (max − min) / median: a difference between two medians smaller than this is noise. NaN for no runs. */
export function spread(sample: Sample): number {
  if (sample.runsMs.length === 0 || !(sample.medianMs > 0)) return Number.NaN;
  return (Math.max(...sample.runsMs) - Math.min(...sample.runsMs)) / sample.medianMs;
}

/** slow / fast, both medians; NaN when either is missing or fast is zero. */
export function ratio(slow: Sample, fast: Sample): number {
  if (!(fast.medianMs > 0) || !Number.isFinite(slow.medianMs)) return Number.NaN;
  return slow.medianMs / fast.medianMs;
}

/** (total − floor) / floor of the medians: the share that `total` adds on top of `floor`. */
export function overhead(total: Sample, floor: Sample): number {
  if (!(floor.medianMs > 0) || !Number.isFinite(total.medianMs)) return Number.NaN;
  return (total.medianMs - floor.medianMs) / floor.medianMs;
}

/** Seconds with a precision that suits the size: `0.84 s`, `12.3 s`, `288 s`; `–` when unknown. */
export function formatSeconds(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const seconds = ms / 1000;
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 100) return `${seconds.toFixed(1)} s`;
  return `${seconds.toFixed(0)} s`;
}

/** A ratio as `7.4×`; `–` when unknown. */
export function formatRatio(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return value >= 10 ? `${value.toFixed(0)}×` : `${value.toFixed(1)}×`;
}

/** A share as `+12.5 %` or `−3.0 %`; `–` when unknown. */
export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return '–';
  const percent = Math.abs(share * 100);
  return `${share < 0 ? '−' : '+'}${percent.toFixed(percent >= 100 ? 0 : 1)} %`;
}
