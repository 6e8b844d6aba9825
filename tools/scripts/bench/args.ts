/** The scenarios of `npm run bench`, in the order they run. */
export const SCENARIOS = ['emulation', 'engines', 'workspace', 'sizes'] as const;
/** One scenario name. */
export type Scenario = (typeof SCENARIOS)[number];

/** The command line of `npm run bench`, normalised. */
export interface BenchArgs {
  readonly quick: boolean;
  readonly runs: number;
  readonly only: readonly Scenario[];
  /** Where BENCHMARKS.md goes (its charts go to <out>/docs/bench/); undefined = see outputDir. */
  readonly out?: string;
  /** The platforms of the emulation scenario. */
  readonly platforms: readonly string[];
  /** Measure nothing: write the outputs again from a results JSON of an earlier run (tmp/bench/results-*.json). */
  readonly render?: string;
}

/** A bad command line: names the argument and the accepted forms. */
export class BenchArgsError extends Error {
  constructor(argument: string, reason: string) {
    super(
      `bench: ${argument}: ${reason}\nusage: npm run bench -- [--quick] [--runs=N] [--only=${SCENARIOS.join(',')}] [--platforms=linux/arm64,...] [--out=DIR] [--render=RESULTS.json]`,
    );
    this.name = 'BenchArgsError';
  }
}

/** The default platforms of the emulation scenario: the amd64 reference and the two ARM targets. */
export const DEFAULT_PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] as const;

/**
 * Parses `--quick` (1 run; only linux/arm64 emulated), `--runs=N` (N ≥ 1; default 3),
 * `--only=a,b`, `--platforms=p,q`, `--out=DIR`, `--render=FILE`. Unknown arguments are an
 * error, not ignored.
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let quick = false;
  let runs: number | undefined;
  let only: Scenario[] = [...SCENARIOS];
  let platforms: string[] | undefined;
  let out: string | undefined;
  let render: string | undefined;
  for (const argument of argv) {
    const [name, value] = argument.includes('=')
      ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)]
      : [argument, undefined];
    switch (name) {
      case '--quick':
        if (value !== undefined) throw new BenchArgsError(argument, '--quick takes no value');
        quick = true;
        break;
      case '--runs':
        runs = Number(value);
        if (!Number.isInteger(runs) || runs < 1)
          throw new BenchArgsError(argument, 'expected a whole number of runs, at least 1');
        break;
      case '--only': {
        const names = (value ?? '').split(',').filter(Boolean);
        const unknown = names.filter((entry) => !(SCENARIOS as readonly string[]).includes(entry));
        if (names.length === 0 || unknown.length > 0)
          throw new BenchArgsError(
            argument,
            `unknown scenario ${JSON.stringify(unknown.join(','))}; valid: ${SCENARIOS.join(', ')}`,
          );
        only = SCENARIOS.filter((scenario) => names.includes(scenario));
        break;
      }
      case '--platforms':
        platforms = (value ?? '').split(',').filter(Boolean);
        if (platforms.length === 0)
          throw new BenchArgsError(argument, 'expected a comma-separated list of platforms');
        break;
      case '--out':
        if (!value) throw new BenchArgsError(argument, 'expected a directory');
        out = value;
        break;
      case '--render':
        if (!value) throw new BenchArgsError(argument, 'expected a results JSON file');
        render = value;
        break;
      default:
        throw new BenchArgsError(argument, 'unknown argument');
    }
  }
  return {
    quick,
    runs: runs ?? (quick ? 1 : 3),
    only,
    out,
    platforms: platforms ?? (quick ? ['linux/arm64'] : [...DEFAULT_PLATFORMS]),
    ...(render === undefined ? {} : { render }),
  };
}

/**
 * Where a run writes BENCHMARKS.md: `--out`, else the repository root for a complete run
 * (every scenario, not --quick), else `tmp/bench`, so trying things out never overwrites
 * the published figures. Relative to `root`.
 */
export function outputDir(out: string | undefined, complete: boolean): string {
  return out ?? (complete ? '.' : 'tmp/bench');
}
