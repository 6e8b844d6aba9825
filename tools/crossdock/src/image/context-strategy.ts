import type { Dockerfile } from '@crossdock/dockerfile';
import type { Platform } from '@crossdock/platform';
import type { ResolvedBase } from './base/resolved-base';
import type { ImagePlan } from './plan';
import type { Reporter } from '../support/report/reporter';

/**
 * How a build context gets the binaries, one per `dockerfile` option value:
 * - prebuilt: the host compiled them (the compile targets); they are checked before
 *   anything is written and copied into the context.
 * - hermetic: Go compiles inside BuildKit from sources copied into the context; the
 *   binaries exist only in the written images, so they are checked there.
 * The image pipeline (build-image.ts) is the same for both; only these steps differ.
 */
export interface ContextStrategy {
  /**
   * A platform's compiled binary, read once when its compile has finished (prebuilt): the
   * preflight, the layer and the SBOM take it from memory. Absent when the binaries are
   * compiled inside BuildKit (hermetic).
   */
  binary?(platform: Platform): Promise<Uint8Array>;
  /** Checks that the inputs exist; its failure is reported ahead of any other (a missing binary). */
  inputsPresent(): Promise<void>;
  /**
   * Checks the inputs against the base before anything is written: a failure leaves dist/
   * as it was. The base is still being resolved: await it only for what needs it.
   */
  preflight(base: Promise<ResolvedBase>, reporter: Reporter): Promise<void>;
  /** The Dockerfile of the context for the plan, `FROM from` for the final stage. */
  dockerfile(plan: ImagePlan, from: string): Promise<Dockerfile>;
  /**
   * The binaries (prebuilt) or sources (hermetic) of the context, written into `dir` (this
   * build's own directory, removed when the build fails): it starts with the preflight, and
   * settles only once nothing more is written (the directory is removed after).
   */
  fill(dir: string): Promise<void>;
  /**
   * Calls `use` with a plan whose binaries are the ones in the images (for the SBOMs), when
   * those exist only in the written images (hermetic). Absent when the plan's binaries are the
   * images' own (prebuilt): their SBOMs then render during the build.
   */
  withImageBinaries?<T>(
    input: { plan: ImagePlan; layoutDir: string; base: ResolvedBase; reporter: Reporter },
    use: (plan: ImagePlan) => Promise<T>,
  ): Promise<T>;
}
