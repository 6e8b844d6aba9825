import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOciLayout, writeDockerArchive } from '@crossdock/oci-layout';
import { type Image } from '@crossdock/oci';
import {
  formatPlatform,
  normalizePlatform,
  selectPlatformMatch,
  type Platform,
} from '@crossdock/platform';
import { dockerLoad } from '../../support/docker/docker-archives';
import { findDockerClient, type DockerClient } from '../../support/docker/docker-cli';
import type { Runner } from '../../support/process/runner';
import { CrossdockError } from '../../support/crossdock-error';

/** What loading one platform's image into the local Docker needs. */
export interface LoadImageRequest {
  readonly project: string;
  /** The OCI layout the image target wrote (dist/images/<project>). */
  readonly layoutDir: string;
  /** The platform to load: the host's unless the caller asks for another. */
  readonly platform: Platform;
  /** `<repository>:<tag>` to load it as. */
  readonly repoTag: string;
  readonly runner: Runner;
  /** Finds the docker CLI; replaceable in tests. */
  readonly findDocker?: (runner: Runner) => Promise<DockerClient>;
}

/** What was loaded. */
export interface LoadImageResult {
  readonly platform: Platform;
  readonly manifestDigest: string;
  /** The config digest: the image ID `docker images` shows. */
  readonly imageId: string;
  readonly repoTag: string;
  readonly docker: DockerClient;
}

/** The image could not be loaded: no such platform in the index, or `docker load` failed. */
export class LoadImageError extends CrossdockError {
  constructor(
    readonly project: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${project}: ${message}`, options);
    this.name = 'LoadImageError';
  }
}

/**
 * Loads one platform's image of a project's OCI layout into the local Docker: the index's
 * best match for the platform (an exact one, or an older level of the same architecture) is
 * written as a docker archive tagged `repoTag` and given to `docker load`.
 */
export async function loadImage(request: LoadImageRequest): Promise<LoadImageResult> {
  const { project } = request;
  const index = await (await readOciLayout(request.layoutDir)).resolveIndex();
  const offered = index.manifests.map((d) =>
    normalizePlatform({
      os: d.platform?.os ?? '',
      architecture: d.platform?.architecture ?? '',
      ...(d.platform?.variant ? { variant: d.platform.variant } : {}),
    }),
  );
  const at = selectPlatformMatch(request.platform, offered);
  if (at < 0) {
    throw new LoadImageError(
      project,
      `the image has no ${formatPlatform(request.platform)} variant (it has ${offered.map(formatPlatform).join(', ')}); add it to the platforms option, or load another platform with --platform=P (it then runs under emulation)`,
    );
  }
  const image: Image = index.images[at]!;
  const docker = await (request.findDocker ?? findDockerClient)(request.runner);
  const scratch = await mkdtemp(join(tmpdir(), 'crossdock-load-'));
  try {
    const archive = join(scratch, 'image.tar');
    await writeDockerArchive(archive, image, request.repoTag);
    await dockerLoad(request.runner, docker, archive).catch((error: unknown) => {
      throw new LoadImageError(
        project,
        `docker load of ${request.repoTag} failed: ${(error as Error).message}`,
        { cause: error },
      );
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return {
    platform: offered[at]!,
    manifestDigest: image.digest,
    imageId: image.manifest.config.digest,
    repoTag: request.repoTag,
    docker,
  };
}
