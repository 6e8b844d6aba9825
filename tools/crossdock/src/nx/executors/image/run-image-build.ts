import { homedir } from 'node:os';
import { join } from 'node:path';
import { dockerCredentials } from '../../../publish/credentials/docker-config';
import {
  buildContext,
  buildImage,
  type BuildContextResult,
  type BuildImageRequest,
  type BuildImageResult,
  type PipelineRequest,
} from '../../../image/build-image';
import type { CrossdockOptions } from '../../../options/normalize-options';
import { engineReadsContext, selectEngine } from '../../../image/engines/select-engine';
import { deflatePieceStore } from '../../../image/engines/deflate-piece-store';
import { localBlobCache } from '../../../image/base/blob-cache';
import { crossdockCacheRoot } from '../../../support/files/cache-root';
import { processRunner } from '../../../support/process/runner';
import type { Reporter } from '../../../support/report/reporter';
import { appBuildSpec, appClosures, revisionPaths } from '../../../go/app-closures';
import { revisionPathspecs } from '../../../image/revision';

/**
 * Runs the image pipeline for the executor's project with what only an executor knows:
 * the workspace's Go closure (the files whose last commit is the revision, and the hermetic
 * context's sources), the environment (SOURCE_DATE_EPOCH,
 * the Docker config for registry bases). Shared by the image target and the CI cell push.
 */
export async function runImageBuild(
  workspaceRoot: string,
  project: { readonly name: string; readonly root: string },
  options: CrossdockOptions,
  reporter: Reporter,
  extra: Pick<BuildImageRequest, 'outputDirs' | 'binaryReady'> = {},
): Promise<BuildImageResult> {
  const cacheRoot = crossdockCacheRoot(process.env);
  return buildImage({
    ...(await pipelineRequest(workspaceRoot, project, options, reporter, extra)),
    // The composition root picks the engine; the pipeline only uses it.
    engine: selectEngine(options.engine, {
      runner: processRunner,
      deflatePieces: deflatePieceStore(join(cacheRoot, 'deflate-pieces')),
    }),
    writeContext: engineReadsContext(options.engine),
  });
}

/** Runs the pipeline of the context target: the project's Docker build context, no image. */
export async function runContextBuild(
  workspaceRoot: string,
  project: { readonly name: string; readonly root: string },
  options: CrossdockOptions,
  reporter: Reporter,
  extra: Pick<BuildImageRequest, 'binaryReady'> = {},
): Promise<BuildContextResult> {
  return buildContext(await pipelineRequest(workspaceRoot, project, options, reporter, extra));
}

async function pipelineRequest(
  workspaceRoot: string,
  project: { readonly name: string; readonly root: string },
  options: CrossdockOptions,
  reporter: Reporter,
  { outputDirs, binaryReady }: Pick<BuildImageRequest, 'outputDirs' | 'binaryReady'>,
): Promise<PipelineRequest> {
  // The same closure createNodes declared as inputs, read again from the same files.
  const closures = appClosures(workspaceRoot, appBuildSpec(project.root, options));
  return {
    workspaceRoot: workspaceRoot,
    project: project.name,
    options,
    sourceRoots: revisionPaths(workspaceRoot, closures),
    revisionPathspecs: revisionPathspecs(workspaceRoot, closures),
    projectRoot: project.root,
    runner: processRunner,
    reporter,
    sourceDateEpoch: process.env.SOURCE_DATE_EPOCH,
    // A registry base may need credentials: the Docker config, found as docker finds it.
    registryCredentials: await dockerCredentials(process.env, homedir()),
    baseBlobs: localBlobCache(join(crossdockCacheRoot(process.env), 'blobs')),
    ...(outputDirs ? { outputDirs } : {}),
    ...(binaryReady ? { binaryReady } : {}),
  };
}
