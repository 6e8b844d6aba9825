import { join } from 'node:path';
import type { CredentialStore } from '@crossdock/registry';
import { replaceDirectory } from '@crossdock/oci-layout';
import { formatFinding, renderDockerfile } from '@crossdock/dockerfile';
import { resolveBase } from './base/resolve-base';
import type { ResolvedBase } from './base/resolved-base';
import type { Engine, EngineResult } from './engines/engine';
import type { CrossdockOptions } from '../options/normalize-options';
import type { ImagePlan } from './plan';
import type { Runner } from '../support/process/runner';
import { phaseTimer } from '../support/report/phase-timer';
import type { Reporter } from '../support/report/reporter';
import { renderSboms, writeRenderedSboms } from './sbom/write-sboms';
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
  /** Where to write, when not the project's dist/ directories (a CI cell builds one platform apart). */
  readonly outputDirs?: OutputDirs;
  /** The environment of `{env.NAME}` templates (default: this process's). */
  readonly env?: Readonly<Record<string, string | undefined>>;
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
  await timer.time('inputs', () => strategy.inputsPresent());
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
  // Side by side, nothing written: git gives the epoch, and with it the engine starts the
  // layers (gzip on the thread pool); the registry gives the base; the binaries are read
  // and checked, and only a dynamically linked binary's loader check waits for the base.
  // Failures are reported in that order (revision, base, preflight), as when they ran one
  // after the other.
  const [provenance, base, started] = await timer.time('revision/base/preflight', async () => {
    const revision = resolveProvenance(
      request.runner,
      workspaceRoot,
      request.revisionPathspecs,
      request.sourceDateEpoch,
    );
    const layers = revision.then((found) => engine.startLayers?.(planWith(found)));
    const base = resolveBase(options.base, options.platforms, {
      workspaceRoot,
      project,
      ...(request.registryCredentials ? { credentials: request.registryCredentials } : {}),
    });
    const preflight = strategy.preflight(base, reporter);
    // Every one is awaited below: none may reject unhandled meanwhile.
    for (const pending of [revision, layers, base, preflight]) pending.catch(() => undefined);
    const resolved = [await revision, await base] as const;
    await preflight;
    return [...resolved, await layers] as const;
  });
  const plan = planWith(provenance, base);
  const dockerfile = await timer.time('context', async () => {
    const generated = await strategy.dockerfile(plan, base.from);
    // No RUN may execute on the target platform; the generator guarantees it, the lint checks it.
    for (const warning of checkGeneratedDockerfile(
      project,
      renderDockerfile(generated),
      join(DIST.contextDir(project), 'Dockerfile'),
    ))
      reporter.warn(formatFinding(warning));
    return generated;
  });

  const sbomDir = request.outputDirs?.sbomDir ?? join(workspaceRoot, DIST.sbomDir(project));
  // When the plan's binaries are the images' own (host-compiled), their SBOMs render while the
  // layers compress; either way they are written once the images exist.
  const earlySboms = strategy.withImageBinaries ? undefined : renderSboms(plan, options.sbomFormat);
  earlySboms?.catch(() => undefined); // awaited below, after the engine's own failure
  const sbomsOfImages = () =>
    strategy.withImageBinaries?.({ plan, layoutDir, base, reporter }, (built) =>
      renderSboms(built, options.sbomFormat),
    ) ?? renderSboms(plan, options.sbomFormat);

  // The engine reads the context while it is still this build's own (a concurrent build of
  // the same project swaps its own in meanwhile); it goes into dist/ once the images exist.
  let engineResult: EngineResult | undefined;
  await replaceDirectory(contextDir, async (dir) => {
    await timer.time('context', async () => {
      await writeBuildContext(dir, { caBundle: HOST_CA_BUNDLE, dockerfile });
      await strategy.fill(dir);
      // One fixed time on every file and directory: BuildKit's layers do not depend on its cache.
      await pinContextTimes(dir);
    });
    reporter.step(
      `assembling ${plan.platforms.length} platform(s) with the ${engine.name} engine on ${base.name}`,
    );
    engineResult = await timer.time('layers and layout', () =>
      engine.build({
        plan,
        base,
        contextDir: dir,
        layoutDir,
        reporter,
        ...(started ? { started } : {}),
      }),
    );
  });
  const sboms = await timer.time('SBOMs', async () =>
    writeRenderedSboms(sbomDir, await (earlySboms ?? sbomsOfImages())),
  );
  reporter.step(`time by step: ${timer.summary()}`);
  const result = engineResult!;
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
  return prebuiltContext({ project, binaryName: options.binary, binaries });
}

/** What the plan records of the base: its name and digest (none for scratch). */
function baseAnnotationsOf(base: ResolvedBase): { name: string; digest?: string } {
  return { name: base.name, ...(base.digest ? { digest: base.digest } : {}) };
}
