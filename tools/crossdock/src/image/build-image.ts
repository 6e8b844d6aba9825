import { join } from 'node:path';
import type { CredentialStore } from '@crossdock/registry';
import { replaceDirectory } from '@crossdock/oci-layout';
import { formatFinding, renderDockerfile } from '@crossdock/dockerfile';
import type { Platform } from '@crossdock/platform';
import type { BlobCache } from './base/blob-cache';
import { resolveBase } from './base/resolve-base';
import type { ResolvedBase } from './base/resolved-base';
import type { Engine, EngineResult } from './engines/engine';
import type { CrossdockOptions } from '../options/normalize-options';
import type { ImagePlan } from './plan';
import type { Runner } from '../support/process/runner';
import { phaseTimer } from '../support/report/phase-timer';
import type { Reporter } from '../support/report/reporter';
import { renderSboms, writeRenderedSboms, type PlatformSboms } from './sbom/write-sboms';
import { binaryPath, DIST } from '../support/workspace/dist-paths';
import type { ContextStrategy } from './context-strategy';
import { hermeticContext } from './hermetic-context';
import { checkGeneratedDockerfile } from './lint-generated';
import { makePlan, type Provenance, type SharedFileSources } from './make-plan';
import { prebuiltContext } from './prebuilt-context';
import { expandImageTemplates } from './image-templates';
import { resolveProvenance } from './provenance';
import { groupFile, HOST_CA_BUNDLE, passwdFile } from './rootfs-files';
import { writeBuildContext } from './write-context';
import { pinContextTimes } from './context-times';

/** Everything the image pipeline of one project needs, passed in by the executor. */
export interface BuildImageRequest {
  readonly workspaceRoot: string;
  readonly project: string;
  readonly options: CrossdockOptions;
  /** The closure's package directories and module files (the hermetic context's sources). */
  readonly sourceRoots: readonly string[];
  /** Pathspecs of the files the binaries are compiled from, whose last commit is the revision (see image/revision.ts). */
  readonly revisionPathspecs: readonly string[];
  /** The project's root relative to the workspace root; needed by the hermetic Dockerfile. */
  readonly projectRoot?: string;
  readonly runner: Runner;
  /** The engine that writes the layout (the executor selects it from the engine option). */
  readonly engine: Engine;
  readonly reporter: Reporter;
  readonly sourceDateEpoch?: string;
  /** Credentials for a registry base (the executor loads the Docker config); anonymous when absent. */
  readonly registryCredentials?: CredentialStore;
  /** Where a registry base's configs and layers are kept between builds (none: fetched every build). */
  readonly baseBlobs?: BlobCache;
  /** Where to write, when not the project's dist/ directories (a CI cell builds one platform apart). */
  readonly outputDirs?: OutputDirs;
  /** The environment of `{env.NAME}` templates (default: this process's). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * When a platform's host binary can be read: its compile runs beside this image in a
   * batch and rejects when it failed (see the build executor's batch). Default: now.
   */
  readonly binaryReady?: (platform: Platform) => Promise<void>;
  /**
   * Whether buildImage writes the Docker build context too: the engine builds from it
   * (select-engine.ts, engineReadsContext). The builtin engine does not, and the context
   * target (buildContext) writes it for a hand-off.
   */
  readonly writeContext: boolean;
}

/** The directories an image build writes (absolute); the context's only when it writes one. */
export interface OutputDirs {
  readonly layoutDir: string;
  readonly contextDir: string;
  readonly sbomDir: string;
}

/** The image pipeline's result: the plan it built and what the engine wrote. */
export interface BuildImageResult {
  readonly plan: ImagePlan;
  readonly result: EngineResult;
  readonly layoutDir: string;
  /** SBOM documents written beside the layout (the SPDX one when there are both), by platform slug. */
  readonly sboms: Readonly<Record<string, string>>;
}

/** The context target's result: the plan the context was written for, and where. */
export interface BuildContextResult {
  readonly plan: ImagePlan;
  readonly contextDir: string;
}

/**
 * Builds one project's images: checks the binaries, resolves the base, and lets the engine
 * write the OCI layout (and the build context first, when the engine builds from it).
 */
export async function buildImage(request: BuildImageRequest): Promise<BuildImageResult> {
  const { engine, writeContext, ...rest } = request;
  const built = await runPipeline(rest, { images: engine, context: writeContext });
  return {
    plan: built.plan,
    result: built.result!,
    layoutDir: built.layoutDir,
    sboms: built.sboms!,
  };
}

/**
 * Writes one project's Docker build context (Dockerfile, bin/, rootfs/) for a hand-off to
 * docker or buildx: the same checks as an image build, and no image.
 */
export async function buildContext(request: PipelineRequest): Promise<BuildContextResult> {
  const built = await runPipeline(request, { context: true });
  return { plan: built.plan, contextDir: built.contextDir };
}

/** What the pipeline needs: an image build's request without what says what it writes. */
export type PipelineRequest = Omit<BuildImageRequest, 'engine' | 'writeContext'>;

/** What one run of the pipeline writes: the images (with this engine), the context, or both. */
interface PipelineWrites {
  readonly images?: Engine;
  readonly context: boolean;
}

/** What one run of the pipeline wrote: the images' parts only when it wrote images. */
interface PipelineResult {
  readonly plan: ImagePlan;
  readonly layoutDir: string;
  readonly contextDir: string;
  readonly result?: EngineResult;
  readonly sboms?: Readonly<Record<string, string>>;
}

/**
 * The image pipeline: checks the binaries, resolves the base, writes the build context and
 * Dockerfile when asked, and the images when asked (the engine writes the OCI layout).
 */
async function runPipeline(
  given: PipelineRequest,
  writes: PipelineWrites,
): Promise<PipelineResult> {
  // Templates first: a bad one stops the build before any work.
  const templates = await expandImageTemplates(
    given.runner,
    given.workspaceRoot,
    given.project,
    given.options,
    given.env ?? process.env,
  );
  const request = { ...given, options: { ...given.options, version: templates.version } };
  const { workspaceRoot, project, options, reporter } = request;
  const engine = writes.images;
  const timer = phaseTimer();
  const strategy = contextStrategyOf(request);
  const contextDir =
    request.outputDirs?.contextDir ?? join(workspaceRoot, DIST.contextDir(project));
  const layoutDir = request.outputDirs?.layoutDir ?? join(workspaceRoot, DIST.imageDir(project));
  const planWith = (provenance: Provenance, base?: ResolvedBase) =>
    makePlan({
      workspaceRoot,
      project,
      options,
      provenance,
      ...(base ? { base: baseAnnotationsOf(base) } : {}),
      shared: SHARED_FILES,
      templates,
    });
  const sbomDir = request.outputDirs?.sbomDir ?? join(workspaceRoot, DIST.sbomDir(project));
  // The context is written into this build's own directory, which goes into dist/ only once
  // the images exist (a failure removes it; an engine reads the context while it is still this
  // build's own, as a concurrent build of the same project swaps its own in). Without a
  // context, the same steps run with no directory.
  const inOwnContextDir = (work: (dir: string | undefined) => Promise<void>) =>
    writes.context ? replaceDirectory(contextDir, work) : work(undefined);
  let built: { plan: ImagePlan; base: ResolvedBase; result?: EngineResult } | undefined;
  let sbomsRendered: Promise<readonly PlatformSboms[]> | undefined;
  let abandonLayers = async (): Promise<void> => undefined;
  const building = inOwnContextDir(async (dir) => {
    // Everything that writes into this build's directory: settled before a failure removes it.
    const writers: Promise<unknown>[] = [];
    try {
      // Side by side: the binaries (or sources) go into the context as they come; each binary
      // is read once its compile has finished, and checked, layered and described (SBOM) from
      // memory; git gives the epoch, and with it the engine starts each platform's layer (gzip
      // on the thread pool); the registry gives the base, and with git the plan, from which the
      // rest of the context is written; only a dynamically linked binary's loader check waits
      // for the base. Failures are reported in the order the steps once ran one after the
      // other: inputs, revision, base, preflight.
      const filled = dir === undefined ? undefined : strategy.fill(dir);
      if (filled) writers.push(filled);
      const present = strategy.inputsPresent();
      const revision = resolveProvenance(
        request.runner,
        workspaceRoot,
        request.revisionPathspecs,
        request.sourceDateEpoch,
      );
      const resolving = resolveBase(options.base, options.platforms, {
        workspaceRoot,
        project,
        ...(request.registryCredentials ? { credentials: request.registryCredentials } : {}),
        ...(request.baseBlobs ? { blobCache: request.baseBlobs } : {}),
      });
      const binary = strategy.binary && ((platform: Platform) => strategy.binary!(platform));
      const layers = engine
        ? revision.then((found) =>
            engine.startLayers?.(planWith(found), {
              layoutDir,
              base: resolving,
              ...(binary ? { binary } : {}),
            }),
          )
        : undefined;
      // What the layers wrote ahead is this build's to remove when it fails (once the engine
      // committed or abandoned the draft, abandoning it again removes nothing).
      abandonLayers = async () => {
        await (await layers?.catch(() => undefined))?.abandon();
      };
      // When the plan's binaries are the images' own (host-compiled), each platform's SBOM
      // renders once git gave the epoch and its binary is there; all are written once the
      // images exist (hermetic: from the images' binaries, below).
      if (engine && !strategy.withImageBinaries) {
        sbomsRendered = revision.then((found) =>
          renderSboms(planWith(found), options.sbomFormat, binary),
        );
      }
      const preflight = strategy.preflight(resolving, reporter);
      // The context's own files (rootfs/, the Dockerfile) need the plan, not the binaries.
      const contextWritten =
        dir === undefined
          ? undefined
          : Promise.all([revision, resolving]).then(async ([found, base]) => {
              const dockerfile = await strategy.dockerfile(planWith(found, base), base.from);
              // No RUN may execute on the target platform; the generator guarantees it, the lint checks it.
              for (const warning of checkGeneratedDockerfile(
                project,
                renderDockerfile(dockerfile),
                join(DIST.contextDir(project), 'Dockerfile'),
              ))
                reporter.warn(formatFinding(warning));
              await writeBuildContext(dir, { caBundle: HOST_CA_BUNDLE, dockerfile });
            });
      if (contextWritten) writers.push(contextWritten);
      // Every one is awaited below: none may reject unhandled meanwhile.
      for (const pending of [
        filled,
        present,
        revision,
        layers,
        resolving,
        preflight,
        sbomsRendered,
        contextWritten,
      ])
        pending?.catch(() => undefined);
      if (request.binaryReady) {
        // The wall time beside the compiles, apart from what is left after the last one.
        const compiles = Promise.all(options.platforms.map(request.binaryReady));
        await timer.time('beside the compiles', () => compiles.catch(() => undefined));
      }
      const [provenance, base, started] = await timer.time('revision/base/preflight', async () => {
        await present;
        const resolved = [await revision, await resolving] as const;
        await preflight;
        return [...resolved, await layers] as const;
      });
      const plan = planWith(provenance, base);
      if (dir !== undefined) {
        await timer.time('context', async () => {
          await contextWritten;
          await filled;
          // One fixed time on every file and directory: BuildKit's layers do not depend on its cache.
          pinContextTimes(dir);
        });
      }
      if (!engine) {
        built = { plan, base };
        return;
      }
      reporter.step(
        `assembling ${plan.platforms.length} platform(s) with the ${engine.name} engine on ${base.name}`,
      );
      const result = await timer.time('layers and layout', () =>
        engine.build({
          plan,
          base,
          ...(dir === undefined ? {} : { contextDir: dir }),
          layoutDir,
          reporter,
          ...(started ? { started } : {}),
        }),
      );
      built = { plan, base, result };
    } catch (error) {
      await Promise.allSettled(writers);
      throw error;
    }
  });
  await building.catch(async (error: unknown) => {
    await abandonLayers();
    throw error;
  });
  const { plan, base, result } = built!;
  if (!writes.images) {
    reporter.step(`time by step: ${timer.summary()}`);
    return { plan, layoutDir, contextDir };
  }
  const sboms = await timer.time('SBOMs', async () =>
    writeRenderedSboms(
      sbomDir,
      await (sbomsRendered ??
        strategy.withImageBinaries!({ plan, layoutDir, base, reporter }, (fromImages) =>
          renderSboms(fromImages, options.sbomFormat),
        )),
    ),
  );
  reporter.step(`time by step: ${timer.summary()}`);
  return { plan, result, layoutDir, contextDir, sboms };
}

/** The shared files of every image: the same bytes the context gets (write-context.ts). */
const SHARED_FILES: SharedFileSources = {
  passwd: { text: passwdFile() },
  group: { text: groupFile() },
  caBundle: HOST_CA_BUNDLE,
};

/** The context strategy of the dockerfile option: host-compiled binaries, or Go compiled in BuildKit. */
function contextStrategyOf(request: PipelineRequest): ContextStrategy {
  const { workspaceRoot, project, options } = request;
  if (options.dockerfile === 'hermetic') {
    if (request.projectRoot === undefined)
      throw new Error(`${project}: the hermetic Dockerfile needs the project root`);
    return hermeticContext({
      workspaceRoot,
      project,
      projectRoot: request.projectRoot,
      sourceRoots: request.sourceRoots,
      options,
      reporter: request.reporter,
    });
  }
  const binaries = options.platforms.map((platform) => ({
    platform,
    path: binaryPath(workspaceRoot, project, platform, options.binary),
  }));
  return prebuiltContext({
    project,
    binaryName: options.binary,
    binaries,
    ...(request.binaryReady ? { binaryReady: request.binaryReady } : {}),
  });
}

/** What the plan records of the base: its name and digest (none for scratch). */
function baseAnnotationsOf(base: ResolvedBase): { name: string; digest?: string } {
  return { name: base.name, ...(base.digest ? { digest: base.digest } : {}) };
}
