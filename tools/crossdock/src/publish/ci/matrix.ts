import { formatPlatform, platformSlug, type Platform } from '@crossdock/platform';

/** One cell of the CI matrix: one project built for one platform on one runner. */
export interface MatrixCell {
  readonly project: string;
  readonly platform: string;
  readonly slug: string;
  readonly runner: string;
}

/** A GitHub Actions matrix (`strategy.matrix`) with explicit cells. */
export interface Matrix {
  readonly include: readonly MatrixCell[];
}

/** Runner labels: one per architecture or full platform, and the default for the rest. */
export interface RunnerMap {
  readonly default: string;
  /** Keys are an architecture (`arm64`) or a platform (`linux/arm/v7`); the platform wins. */
  readonly byPlatform: Readonly<Record<string, string>>;
}

/** The runner for a platform: by full platform, then by architecture, then the default. */
export function runnerFor(platform: Platform, runners: RunnerMap): string {
  return (
    runners.byPlatform[formatPlatform(platform)] ??
    runners.byPlatform[platform.architecture] ??
    runners.default
  );
}

/**
 * One cell per project and each of its platforms, projects in name order, platforms in
 * configured order. Cross-compiling needs no native hardware, so every cell runs on the
 * default runner unless a label is configured for its architecture.
 */
export function buildMatrix(
  projects: readonly { readonly name: string; readonly platforms: readonly Platform[] }[],
  runners: RunnerMap,
): Matrix {
  const sorted = [...projects].sort((a, b) => a.name.localeCompare(b.name));
  return {
    include: sorted.flatMap(({ name, platforms }) =>
      platforms.map((platform) => ({
        project: name,
        platform: formatPlatform(platform),
        slug: platformSlug(platform),
        runner: runnerFor(platform, runners),
      })),
    ),
  };
}

/** Parses `--runner KEY=LABEL` values (KEY an architecture or a platform). */
export function parseRunnerFlags(values: readonly string[], defaultRunner: string): RunnerMap {
  const byPlatform: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    if (at <= 0 || at === value.length - 1)
      throw new Error(
        `--runner "${value}" must be KEY=LABEL, e.g. arm64=ubuntu-24.04-arm or linux/arm/v7=my-arm-runner`,
      );
    byPlatform[value.slice(0, at)] = value.slice(at + 1);
  }
  return { default: defaultRunner, byPlatform };
}

/**
 * The lines a workflow appends to $GITHUB_OUTPUT: the cell matrix, the projects (for the
 * merge jobs) and whether there is anything to build, so build jobs can be skipped.
 */
export function githubOutputs(matrix: Matrix): string {
  const projects = [...new Set(matrix.include.map((cell) => cell.project))];
  return [
    `matrix=${JSON.stringify(matrix)}`,
    `projects=${JSON.stringify({ include: projects.map((project) => ({ project })) })}`,
    `has-cells=${matrix.include.length > 0}`,
    `count=${matrix.include.length}`,
  ].join('\n');
}
