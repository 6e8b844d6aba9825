import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { formatPlatform } from '@crossdock/platform';
import { resolveBase } from '../base/resolve-base';
import type { ResolvedBase } from '../base/resolved-base';
import type { CredentialStore } from '@crossdock/oci';
import type { EngineResult } from '../engines/engine';
import { selectEngine } from '../engines/select-engine';
import type { CrossdockOptions } from '../options/normalize-options';
import type { Runner } from '../process/runner';
import type { Reporter } from '../report/reporter';
import { binaryPath, DIST } from '../workspace/dist-paths';
import { replaceDirectory } from '@crossdock/oci';
import { formatFinding, renderDockerfile } from '@crossdock/dockerfile';
import { generateDockerfile } from './generated-dockerfile';
import { collectGoSources, copyGoSources, type GoSources } from './go-sources';
import { CONTEXT_SOURCES, generateHermeticDockerfile, hermeticBuildOf } from './hermetic-dockerfile';
import { checkGeneratedDockerfile } from './lint-generated';
import { withBuiltBinaries } from './built-binaries';
import { writeSboms } from '../sbom/write-sboms';
import { makePlan } from './make-plan';
import { preflightBinary } from './preflight';
import type { ImagePlan } from './plan';
import { resolveProvenance } from './provenance';
import { HOST_CA_BUNDLE } from './rootfs-files';
import { relocateContextFiles, writeBuildContext, type ContextFiles } from './write-context';

/** Everything the image pipeline of one project needs, passed in by the executor. */
export interface BuildImageRequest {
  readonly workspaceRoot: string;
  readonly project: string;
  readonly options: CrossdockOptions;
  /** Roots of the project and of the Go projects it imports (for the revision, and the hermetic context's sources). */
  readonly sourceRoots: readonly string[];
  /** The project's root relative to the workspace root; needed by the hermetic Dockerfile. */
  readonly projectRoot?: string;
  readonly runner: Runner;
  readonly reporter: Reporter;
  readonly sourceDateEpoch?: string;
  /** Credentials for a registry base (the executor loads the Docker config); anonymous when absent. */
  readonly registryCredentials?: CredentialStore;
  /** Where to write, when not the project's dist/ directories (a CI cell builds one platform apart). */
  readonly outputDirs?: OutputDirs;
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
export async function buildImage(request: BuildImageRequest): Promise<BuildImageResult> {
  const { workspaceRoot, project, options, reporter } = request;
  // Hermetic: Go compiles inside BuildKit, so there are no host binaries to check or copy.
  const hermetic = options.dockerfile === 'hermetic';
  const binaries = options.platforms.map((platform) => ({ platform, path: binaryPath(workspaceRoot, project, platform, options.binary) }));
  for (const { platform, path } of hermetic ? [] : binaries) {
    await access(path).catch(() => {
      throw new Error(`${project}: no binary for ${formatPlatform(platform)} at ${path}; run "nx run ${project}:compile" first (image depends on it)`);
    });
  }
  const [provenance, base] = await Promise.all([
    resolveProvenance(request.runner, workspaceRoot, request.sourceRoots, request.sourceDateEpoch),
    resolveBase(options.base, options.platforms, { workspaceRoot, project, ...(request.registryCredentials ? { credentials: request.registryCredentials } : {}) }),
  ]);

  // Nothing is written unless every binary can run in its image.
  if (!hermetic) {
    await Promise.all(
      binaries.map(({ platform, path }) =>
        preflightBinary({ project, platform, binary: path, baseName: base.name, baseHasPath: (file) => base.hasPath(platform, file) }),
      ),
    );
    reporter.step(`preflight passed: ${binaries.length} binar${binaries.length === 1 ? 'y' : 'ies'} with the right ELF machine and Go target, no missing loader`);
  }

  const contextDir = request.outputDirs?.contextDir ?? join(workspaceRoot, DIST.contextDir(project));
  const layoutDir = request.outputDirs?.layoutDir ?? join(workspaceRoot, DIST.imageDir(project));
  // The Dockerfile depends on the plan only through fields the context does not change.
  const draft = makePlan({ workspaceRoot, project, options, provenance, base: baseAnnotationsOf(base), shared: { passwd: '', group: '', caBundle: '' } });
  let dockerfile = generateDockerfile(draft, base.from);
  let goSources: GoSources | undefined;
  if (hermetic) {
    if (request.projectRoot === undefined) throw new Error(`${project}: the hermetic Dockerfile needs the project root`);
    goSources = await collectGoSources(workspaceRoot, request.projectRoot, request.sourceRoots);
    const build = hermeticBuildOf(project, options, request.projectRoot, goSources.goVersion);
    dockerfile = generateHermeticDockerfile(draft, base.from, build);
    reporter.step(`hermetic Dockerfile: go build runs inside BuildKit on the build platform (${build.goImage}), ${goSources.files.length} source files in the context`);
  }
  // No RUN may execute on the target platform; the generator guarantees it, the lint checks it.
  for (const warning of checkGeneratedDockerfile(project, renderDockerfile(dockerfile), join(DIST.contextDir(project), 'Dockerfile'))) reporter.warn(formatFinding(warning));
  let files: ContextFiles | undefined;
  await replaceDirectory(contextDir, async (dir) => {
    files = relocateContextFiles(
      await writeBuildContext(dir, { binaryName: options.binary, binaries: hermetic ? [] : binaries, caBundle: HOST_CA_BUNDLE, dockerfile }),
      dir,
      contextDir,
    );
    if (goSources) await copyGoSources(workspaceRoot, dir, CONTEXT_SOURCES, goSources);
  });
  const plan = makePlan({ workspaceRoot, project, options, provenance, base: baseAnnotationsOf(base), shared: files! });

  const engine = selectEngine(options.engine, { runner: request.runner });
  reporter.step(`assembling ${plan.platforms.length} platform(s) with the ${engine.name} engine on ${base.name}`);
  const result = await engine.build({ plan, base, contextDir, layoutDir, reporter });
  const sbomDir = request.outputDirs?.sbomDir ?? join(workspaceRoot, DIST.sbomDir(project));
  // A hermetic build's binaries exist only in the images: preflight and SBOMs read them from there.
  const sboms = hermetic
    ? await withBuiltBinaries({ plan, layoutDir, base, reporter }, (built) => writeSboms(sbomDir, built, options.sbomFormat))
    : await writeSboms(sbomDir, plan, options.sbomFormat);
  return { plan, result, layoutDir, contextDir, sboms };
}

/** What the plan records of the base: its name and digest (none for scratch). */
function baseAnnotationsOf(base: ResolvedBase): { name: string; digest?: string } {
  return { name: base.name, ...(base.digest ? { digest: base.digest } : {}) };
}
