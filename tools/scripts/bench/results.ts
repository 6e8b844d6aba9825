import type { Machine } from './machine';
import type { Sample } from './stats';

/** One platform of the emulation benchmark: crossdock's cold pipeline and the naive emulated build, side by side. */
export interface EmulationRow {
  readonly platform: string;
  /** linux/amd64 on this machine: the naive build runs natively (the reference row). */
  readonly native: boolean;
  readonly crossdock: Sample;
  readonly emulated: Sample;
}

/** The emulation benchmark: how the emulated side ran, where its toolchains came from, and the rows. */
export interface EmulationResult {
  /** `docker`: docker build of the naive Dockerfile; `qemu-direct`: the foreign go run under qemu-user (fallback). */
  readonly method: 'docker' | 'qemu-direct';
  readonly fallbackReason?: string;
  readonly golangImage: string;
  readonly toolchains: readonly {
    readonly arch: string;
    readonly version: string;
    readonly source: string;
  }[];
  readonly rows: readonly EmulationRow[];
}

/** One app of the engine benchmark: the image step alone with each engine. */
export interface EngineRow {
  readonly project: string;
  readonly platforms: number;
  readonly builtin: Sample;
  readonly docker?: Sample;
}

/** builtin against docker engine; `unavailable` says why there is no docker column. */
export interface EnginesResult {
  readonly unavailable?: string;
  readonly rows: readonly EngineRow[];
}

/** Cold, fully cached and affected-only `nx run-many -t image` of the sample workspace, and the bare compile floor. */
export interface WorkspaceResult {
  /** `<project> (<n> platforms)` for every image project. */
  readonly projects: readonly string[];
  readonly builds: number;
  readonly parallel: number;
  /** Empty Nx cache, empty GOCACHE. */
  readonly cold: Sample;
  /** Rerun: every task from the Nx cache. */
  readonly cached: Sample;
  /** One Go library edited, `nx affected -t image --base=HEAD`. */
  readonly affected: Sample;
  readonly affectedLibrary: string;
  /** The file of that library the affected run edits (a comment line appended). */
  readonly affectedFile: string;
  readonly affectedProjects: readonly string[];
  /** Bare `go build` of every (app, platform), empty GOCACHE, `parallel` at a time. */
  readonly bareCold: Sample;
  /** Bare `go build` again with the warm GOCACHE, and `run-many --skip-nx-cache` with it: the fixed cost of Nx and assembly. */
  readonly bareWarm: Sample;
  readonly fullWarm: Sample;
}

/** The compressed size of one platform's image (config + layers, as stored in the OCI layout). */
export interface SizeRow {
  readonly project: string;
  readonly base: string;
  readonly platform: string;
  readonly bytes: number;
  readonly layers: number;
}

/** Every result of one `npm run bench`. A scenario that was not run or failed has `undefined` and an entry in `errors`. */
export interface BenchResults {
  readonly machine: Machine;
  readonly runs: number;
  readonly quick: boolean;
  /** The scenarios this invocation ran (`--only`); absent in results written before it existed = all. */
  readonly scenarios?: readonly string[];
  readonly emulation?: EmulationResult;
  readonly engines?: EnginesResult;
  readonly workspace?: WorkspaceResult;
  readonly sizes?: readonly SizeRow[];
  readonly errors: Readonly<Record<string, string>>;
  readonly totalMs: number;
}
