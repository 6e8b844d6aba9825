import type { Layer } from '@crossdock/oci';
import type { OciLayoutDraft } from '@crossdock/oci-layout';
import type { Platform } from '@crossdock/platform';
import type { ResolvedBase } from '../base/resolved-base';
import type { ImagePlan } from '../plan';
import type { Reporter } from '../../support/report/reporter';

/** What an engine builds: a plan, its resolved base, and where the context and layout live. */
export interface EngineBuildRequest {
  readonly plan: ImagePlan;
  readonly base: ResolvedBase;
  /** The generated build context (Dockerfile, bin/, rootfs/), already written: given when the engine builds from it (select-engine.ts). */
  readonly contextDir?: string;
  /** Where the OCI image layout goes; engines write it atomically. */
  readonly layoutDir: string;
  readonly reporter: Reporter;
  /** Layers the engine started earlier (startLayers), taken where they match the plan. */
  readonly started?: StartedLayers;
}

/** A build request of an engine that builds from the generated context (the docker engine). */
export type ContextBuildRequest = EngineBuildRequest & { readonly contextDir: string };

/** What an engine started before its build (see Engine.startLayers). */
export interface StartedLayers {
  /** Application layers being built, by what they are built from (see the builtin engine's layerKey). */
  readonly layers: ReadonlyMap<string, Promise<Layer>>;
  /** A draft of the layout (startLayers' layoutDir), each layer's blob written into it as it is made. */
  readonly draft?: { readonly layoutDir: string; readonly opened: Promise<OciLayoutDraft> };
  /** Removes what was written ahead: build() does when it fails, the pipeline when it fails before build(). */
  abandon(): Promise<void>;
}

/** What startLayers may be given. */
export interface StartLayersOptions {
  /** A platform's compiled binary, once its compile has finished (default: read from the plan's path now). */
  readonly binary?: (platform: Platform) => Promise<Uint8Array>;
  /** Where the layout will go: layer blobs may be written ahead into a draft of it. */
  readonly layoutDir?: string;
  /** The base being resolved: its layers may be fetched into the draft meanwhile. */
  readonly base?: Promise<ResolvedBase>;
}

/** One platform's image as written to the layout. */
export interface BuiltPlatform {
  readonly platform: Platform;
  readonly manifestDigest: string;
  /** Compressed size of config and layers, i.e. what a pull of this platform downloads. */
  readonly size: number;
  readonly durationMs: number;
}

/** The result of a build: the index digest and one entry per platform. */
export interface EngineResult {
  readonly indexDigest: string;
  readonly platforms: readonly BuiltPlatform[];
}

/**
 * An image engine. Every engine consumes the same plan and must produce equivalent
 * images: the same files, modes, owners and config for each platform.
 */
export interface Engine {
  readonly name: string;
  /**
   * Starts the work that needs only the plan's files and epoch (the builtin engine's layers)
   * while the base, the preflight and the context are still on their way; a platform's files
   * are read once `ready` says its binary is there. Nothing reaches the layout directory
   * before build(); what was written ahead goes with the build, or with abandon().
   */
  startLayers?(plan: ImagePlan, options?: StartLayersOptions): StartedLayers;
  build(request: EngineBuildRequest): Promise<EngineResult>;
}
