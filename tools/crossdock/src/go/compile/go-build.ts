import { availableParallelism, totalmem } from 'node:os';
import { goEnv, type Platform } from '@crossdock/platform';
import type { CBuild } from '../cgo/c-toolchain';

/** What one `go build` of a main package for one platform needs. */
export interface GoBuildSpec {
  readonly platform: Platform;
  /** Package to build, relative to `cwd` (e.g. `.` or `./cmd/server`). */
  readonly main: string;
  readonly output: string;
  readonly version: string;
  readonly ldflags: readonly string[];
  readonly buildTags: readonly string[];
  readonly cgo: boolean;
  /** With cgo: the C toolchain's environment and link flags for this platform (see cgo/c-toolchain). */
  readonly c?: CBuild;
  /** The cores this build may use (GOMAXPROCS) when the caller runs several at once; all of them when absent. */
  readonly cores?: number;
}

/** Environment variables passed from the caller's environment to go: locations and declared inputs only (GOGC and GOMEMLIMIT: see goCollectorEnv). */
export const GO_PASSTHROUGH_ENV = [
  'PATH',
  'HOME',
  'TMPDIR',
  'GOCACHE',
  'GOMODCACHE',
  'GOPATH',
  'GOPROXY',
  'GONOSUMDB',
  'GOPRIVATE',
  'GOFLAGS',
  'GOEXPERIMENT',
] as const;

/**
 * The garbage collector of go, compile and link when the caller sets none: none until the
 * heap reaches a soft limit (GOGC=off with GOMEMLIMIT), as these processes live for seconds
 * and most of what they allocate is still in use when they exit. The limit is each core's
 * share of half the memory this process may use (the container's limit when there is one),
 * at least 1 GiB and at most a quarter (a caller who sets GOGC or GOMEMLIMIT keeps theirs): a build runs one compile per core it has, so the
 * builds side by side stay within half the memory; past the limit the collector runs as
 * Go's default would. It changes no byte of a binary and no key of Go's build cache. Against
 * GOGC=400 it cut a relink after a one-line edit from 0.48 to 0.45 s of CPU, and a cold build
 * of apps/hello from 31 to 25 s.
 */
export function goCollectorEnv(
  parentEnv: Readonly<Record<string, string | undefined>>,
  memoryBytes: number = usableMemory(),
  machineCores: number = availableParallelism(),
): Record<string, string> {
  const { GOGC, GOMEMLIMIT } = parentEnv;
  // A caller who tunes the collector keeps exactly what they set.
  if (GOGC !== undefined || GOMEMLIMIT !== undefined)
    return {
      ...(GOGC !== undefined ? { GOGC } : {}),
      ...(GOMEMLIMIT !== undefined ? { GOMEMLIMIT } : {}),
    };
  const MiB = 2 ** 20;
  const perCore = memoryBytes / 2 / Math.max(1, machineCores);
  const limit = Math.min(memoryBytes / 4, Math.max(1024 * MiB, perCore));
  return { GOGC: 'off', GOMEMLIMIT: `${Math.max(256, Math.floor(limit / MiB))}MiB` };
}

/**
 * GOMAXPROCS of go, compile and link: the caller's when set, else the cores this build may
 * use when it shares the machine with other builds. Two builds on two cores, each with
 * GOMAXPROCS=1, spent 2.4 s of CPU on six relinks against 2.6 s at Go's default (every
 * core each), and finished 0.1 s sooner. It changes no byte of a binary and no key of Go's
 * build cache (the compiler's -c concurrency flag is left out of both).
 */
export function goProcessorsEnv(
  parentEnv: Readonly<Record<string, string | undefined>>,
  cores: number | undefined,
): Record<string, string> {
  const given = parentEnv['GOMAXPROCS'];
  if (given !== undefined) return { GOMAXPROCS: given };
  return cores === undefined ? {} : { GOMAXPROCS: String(Math.max(1, Math.floor(cores))) };
}

/** The machine's memory, or the cgroup's limit when it is lower (a CI container on a large host). */
export function usableMemory(): number {
  const total = totalmem();
  const constrained = process.constrainedMemory();
  // No limit reads as 0 or as a number above the machine's memory (2^64 - 1).
  return constrained > 0 && constrained < total ? constrained : total;
}

/**
 * The argument list of `go build`: -trimpath and -buildvcs=false so the binary depends
 * only on declared inputs (no paths of this machine, no git state), the version stamped
 * through -ldflags.
 */
export function goBuildArgs(spec: GoBuildSpec): string[] {
  const own = spec.ldflags.map((flag) => flag.replaceAll('{version}', spec.version));
  // A project that sets -linkmode or -extldflags itself keeps its own (Go takes the last one).
  const mine = own.some((flag) => /^-(linkmode|extldflags)\b/.test(flag))
    ? []
    : (spec.c?.ldflags ?? []);
  const ldflags = [...own, ...mine].join(' ');
  const args = ['build', '-trimpath', '-buildvcs=false', `-ldflags=${ldflags}`];
  if (spec.buildTags.length > 0) args.push(`-tags=${spec.buildTags.join(',')}`);
  args.push('-o', spec.output, spec.main);
  return args;
}

/**
 * The environment of `go build`: the platform's GOOS/GOARCH/GOARM/GOAMD64, an explicit
 * CGO_ENABLED and, with cgo, exactly the C toolchain's variables (CC, CXX, CGO_*FLAGS, zig's
 * caches); none of those is ever taken from the caller's environment.
 */
export function goBuildEnv(
  spec: GoBuildSpec,
  parentEnv: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of GO_PASSTHROUGH_ENV) {
    const value = parentEnv[key];
    if (value !== undefined) env[key] = value;
  }
  return {
    ...env,
    ...goCollectorEnv(parentEnv),
    ...goProcessorsEnv(parentEnv, spec.cores),
    GOTOOLCHAIN: 'local',
    ...goEnv(spec.platform, { cgo: spec.cgo }),
    ...(spec.cgo ? spec.c?.env : {}),
  };
}
