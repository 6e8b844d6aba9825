import type { CredentialStore } from '@crossdock/registry';
import type { CrossdockOptions } from '../options/normalize-options';
import type { Runner } from '../support/process/runner';
import type { Reporter } from '../support/report/reporter';

/** A built image, as every sink receives it: whose it is, where it lies, and its options. */
export interface BuiltImage {
  readonly workspaceRoot: string;
  readonly project: string;
  /** The OCI image layout to deliver: dist/images/<project>, or a CI cell's own one-platform layout. */
  readonly layoutDir: string;
  /** The SBOM documents per platform: dist/sbom/<project>, or the cell's. */
  readonly sbomDir: string;
  /** The project's crossdock options, normalised once (the sink's own flags set aside). */
  readonly options: CrossdockOptions;
}

/** Where a sink's flags come from besides the raw options: the environment and the configured target options. */
export interface FlagSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The target's options as configured, without the command line's (Nx hands a sink the two merged). */
  readonly configured: Readonly<Record<string, unknown>>;
}

/** What a sink may use to deliver, given by its executor (no globals read by a sink). */
export interface SinkContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly runner: Runner;
  readonly reporter: Reporter;
  /** The Docker config's credential store, read when a sink asks for it (only registry sinks do). */
  readonly credentials: () => Promise<CredentialStore>;
}

/**
 * A place a built image goes (a registry, the local Docker; later a tarball, a kind cluster).
 * A sink reads its own flags and delivers; the shared work around it (options, where the
 * image lies, failure reporting) is publishImage's. `F` is the sink's own flags.
 */
export interface ImageSink<F> {
  /** The executor's name, also the verb of its messages ("push failed: ..."). */
  readonly name: string;
  /** The sink's own flag keys: normalizeOptions passes over them instead of refusing them. */
  readonly flagKeys: ReadonlySet<string>;
  /** Reads and checks the sink's flags from the raw options; an OptionsError on bad input. */
  readFlags(
    project: string,
    raw: Readonly<Record<string, unknown>>,
    options: CrossdockOptions,
    sources: FlagSources,
  ): F;
  /** Delivers the image, saying what it did through the reporter; throws when it cannot. */
  deliver(image: BuiltImage, flags: F, context: SinkContext): Promise<void>;
}
