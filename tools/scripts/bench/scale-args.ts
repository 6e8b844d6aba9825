/** The command line of the scale benchmark, normalised. */
export interface ScaleArgs {
  readonly sizes: readonly number[];
  readonly runs: number;
  readonly platform: string;
  readonly parallel: number;
  readonly write: boolean;
  readonly keep: boolean;
}

/** The usage line printed with a bad argument. */
export const USAGE =
  'usage: scale.ts [--sizes=10,50,200] [--runs=3] [--platform=linux/amd64] [--parallel=N] [--no-write] [--keep]';

/**
 * Parses `--sizes=10,50`, `--runs=N`, `--platform=P`, `--parallel=N` (default: the cores, at
 * least 2), `--no-write` (print only) and `--keep` (leave the workspaces). Unknown arguments
 * and counts below 1 are errors naming the argument and the usage.
 */
export function parseScaleArgs(argv: readonly string[], cores: number): ScaleArgs {
  const args = {
    sizes: [10, 50, 200],
    runs: 3,
    platform: 'linux/amd64',
    parallel: Math.max(2, cores),
    write: true,
    keep: false,
  };
  const count = (flag: string, value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`${flag}=${value}: expected a whole number ≥ 1\n${USAGE}`);
    return n;
  };
  for (const arg of argv) {
    const [flag, value = ''] = arg.split('=', 2);
    if (flag === '--sizes') args.sizes = value.split(',').map((v) => count(flag, v));
    else if (flag === '--runs') args.runs = count(flag, value);
    else if (flag === '--parallel') args.parallel = count(flag, value);
    else if (flag === '--platform') {
      if (!/^[a-z0-9]+\/[a-z0-9]+(\/[a-z0-9]+)?$/.test(value))
        throw new Error(`--platform=${value}: expected one platform such as linux/amd64\n${USAGE}`);
      args.platform = value;
    } else if (flag === '--no-write') args.write = false;
    else if (flag === '--keep') args.keep = true;
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return args;
}
