import type { BenchResults } from './results';
import { formatPercent, formatRatio, formatSeconds, overhead, ratio } from './stats';

/** One target of issue #8 and whether this run met it. `met` is undefined when the scenario did not run. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met?: boolean;
}

/** The smallest emulated/crossdock ratio a foreign platform must show. */
export const EMULATION_RATIO_TARGET = 5;
/** The longest a fully cached `run-many -t image` of the sample workspace may take, in ms. */
export const CACHED_RUN_TARGET_MS = 3000;
/** The largest share image assembly (and Nx) may add to the bare cold compile. */
export const ASSEMBLY_OVERHEAD_TARGET = 0.15;

/** The targets, checked against medians of this run. */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const foreign = results.emulation?.rows.filter((row) => !row.native) ?? [];
  if (foreign.length > 0) {
    const ratios = foreign.map((row) => ({
      platform: row.platform,
      value: ratio(row.emulated, row.crossdock),
    }));
    const worst = Math.min(...ratios.map((entry) => entry.value));
    checks.push({
      target: `emulated build at least ${EMULATION_RATIO_TARGET}× slower than crossdock (every foreign platform)`,
      measured: ratios.map((entry) => `${entry.platform} ${formatRatio(entry.value)}`).join(', '),
      met: Number.isFinite(worst) ? worst >= EMULATION_RATIO_TARGET : undefined,
    });
  } else {
    checks.push({
      target: `emulated build at least ${EMULATION_RATIO_TARGET}× slower than crossdock`,
      measured: 'not measured',
    });
  }
  const workspace = results.workspace;
  checks.push(
    workspace === undefined
      ? {
          target: `fully cached run under ${formatSeconds(CACHED_RUN_TARGET_MS)}`,
          measured: 'not measured',
        }
      : {
          target: `fully cached \`nx run-many -t image\` under ${formatSeconds(CACHED_RUN_TARGET_MS)}`,
          measured: `${formatSeconds(workspace.cached.medianMs)} (median; min ${formatSeconds(workspace.cached.minMs)})`,
          met: workspace.cached.medianMs < CACHED_RUN_TARGET_MS,
        },
  );
  if (workspace === undefined) {
    checks.push({
      target: `image assembly adds under ${ASSEMBLY_OVERHEAD_TARGET * 100} % to the bare compile`,
      measured: 'not measured',
    });
  } else {
    const share = overhead(workspace.cold, workspace.bareCold);
    checks.push({
      target: `image assembly adds under ${ASSEMBLY_OVERHEAD_TARGET * 100} % to the bare cold compile`,
      measured: `${formatPercent(share)} (${formatSeconds(workspace.cold.medianMs)} against ${formatSeconds(workspace.bareCold.medianMs)})`,
      met: Number.isFinite(share) ? share < ASSEMBLY_OVERHEAD_TARGET : undefined,
    });
  }
  return checks;
}

/** `met`, `not met` or `not measured`. */
export function verdict(check: TargetCheck): string {
  if (check.met === undefined) return 'not measured';
  return check.met ? 'met' : 'not met';
}
