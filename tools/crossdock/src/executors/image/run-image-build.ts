import { homedir } from 'node:os';
import type { ExecutorContext } from '@nx/devkit';
import { dockerCredentials } from '../../credentials/docker-config';
import { buildImage, type BuildImageResult, type OutputDirs } from '../../image/build-image';
import type { CrossdockOptions } from '../../options/normalize-options';
import { execaRunner } from '../../process/runner';
import type { Reporter } from '../../report/reporter';
import { dependencyClosureRoots } from '../../workspace/go-closure';

/**
 * Runs the image pipeline for the executor's project with what only an executor knows:
 * the project graph (for the revision's source roots), the environment (SOURCE_DATE_EPOCH,
 * the Docker config for registry bases). Shared by the image target and the CI cell push.
 */
export async function runImageBuild(
  context: ExecutorContext,
  project: { readonly name: string; readonly root: string },
  options: CrossdockOptions,
  reporter: Reporter,
  outputDirs?: OutputDirs,
): Promise<BuildImageResult> {
  return buildImage({
    workspaceRoot: context.root,
    project: project.name,
    options,
    sourceRoots: context.projectGraph ? dependencyClosureRoots(context.projectGraph, project.name) : [project.root],
    projectRoot: project.root,
    runner: execaRunner,
    reporter,
    sourceDateEpoch: process.env.SOURCE_DATE_EPOCH,
    // A registry base may need credentials: the Docker config, found as docker finds it.
    registryCredentials: await dockerCredentials(process.env, homedir()),
    ...(outputDirs ? { outputDirs } : {}),
  });
}
