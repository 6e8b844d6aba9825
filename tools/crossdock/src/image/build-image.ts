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
}

/** The three directories an image build writes (absolute). */
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
  readonly contextDir: string;
  /** SBOM documents written beside the layout (the SPDX one when there are both), by platform slug. */
  readonly sboms: Readonly<Record<string, string>>;
}

/**
 * Builds one project's images: checks the binaries, resolves the base, writes the build
 * context and Dockerfile, then lets the engine write the OCI layout.
 */
export async function buildImage(given: BuildImageRequest): Promise<BuildImageResult> {
  // Templates first: a bad one stops the build before any work.
  const templates = await expandImageTemplates(
    given.runner,
    given.workspaceRoot,
    given.project,
    given.options,
    given.env ?? process.env,
  );
  const request = { ...given, options: { ...given.options, version: templates.version } };
  const { workspaceRoot, project, options, reporter, engine } = request;
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
  // Everything is written into this build's own context directory, which goes into dist/ only
  // once the images exist (a failure removes it; the engine reads the context while it is
  // still this build's own, as a concurrent build of the same project swaps its own in).
  let built: { plan: ImagePlan; base: ResolvedBase; result: EngineResult } | undefined;
  let sbomsRendered: Promise<readonly PlatformSboms[]> | undefined;
  let abandonLayers = async (): Promise<void> => undefined;
  const building = replaceDirectory(contextDir, async (dir) => {
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
      const filled = strategy.fill(dir);
      writers.push(filled);
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
      const layers = revision.then((found) =>
        engine.startLayers?.(planWith(found), {
          layoutDir,
          base: resolving,
          ...(binary ? { binary } : {}),
        }),
      );
      // What the layers wrote ahead is this build's to remove when it fails (once the engine
      // committed or abandoned the draft, abandoning it again removes nothing).
      abandonLayers = async () => {
        await (await layers.catch(() => undefined))?.abandon();
      };
      // When the plan's binaries are the images' own (host-compiled), each platform's SBOM
      // renders once git gave the epoch and its binary is there; all are written once the
      // images exist (hermetic: from the images' binaries, below).
      if (!strategy.withImageBinaries) {
        sbomsRendered = revision.then((found) =>
          renderSboms(planWith(found), options.sbomFormat, binary),
        );
      }
      const preflight = strategy.preflight(resolving, reporter);
      // The context's own files (rootfs/, the Dockerfile) need the plan, not the binaries.
      const contextWritten = Promise.all([revision, resolving]).then(async ([found, base]) => {
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
      writers.push(contextWritten);
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
      await timer.time('context', async () => {
        await contextWritten;
        await filled;
        // One fixed time on every file and directory: BuildKit's layers do not depend on its cache.
        pinContextTimes(dir);
      });
      reporter.step(
        `assembling ${plan.platforms.length} platform(s) with the ${engine.name} engine on ${base.name}`,
      );
      const result = await timer.time('layers and layout', () =>
        engine.build({
          plan,
          base,
          contextDir: dir,
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
function contextStrategyOf(request: BuildImageRequest): ContextStrategy {
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
