import { join } from 'node:path';
import { OciError, type Image, type ImageIndex } from '@crossdock/oci';
import { readOciLayout } from '@crossdock/oci-layout';
import { writeImage, writeIndex, type RegistryClient, type WriteTarget } from '@crossdock/registry';
import {
  findPlatform,
  formatPlatform,
  normalizePlatform,
  type Platform,
} from '@crossdock/platform';
import { CorruptLayoutError } from '../../support/files/corrupt-layout-error';
import { DIST } from '../../support/workspace/dist-paths';
import { mountSources } from './mount-sources';

/** A project's image and where to push it. */
export interface PushLayoutRequest {
  readonly workspaceRoot: string;
  readonly project: string;
  readonly client: RegistryClient;
  readonly repository: string;
  /** The OCI layout to push (default: the project's dist/images/<project>). */
  readonly layoutDir?: string;
}

/** One platform's manifest as pushed. */
export interface PushedPlatform {
  readonly platform: string;
  readonly digest: string;
}

/** The result of pushing a project's whole index with tags. */
export interface PushedIndex {
  readonly indexDigest: string;
  readonly platforms: readonly PushedPlatform[];
  readonly tags: readonly string[];
  /** Repositories base layers were offered to be mounted from. */
  readonly mountFrom: readonly string[];
}

/** The image index of the project's OCI layout (dist/images/<project>), read lazily and verified as read. */
export async function readProjectIndex(
  workspaceRoot: string,
  project: string,
  layoutDir?: string,
): Promise<ImageIndex> {
  const dir = layoutDir ?? join(workspaceRoot, DIST.imageDir(project));
  try {
    return await (await readOciLayout(dir)).resolveIndex();
  } catch (error) {
    if (error instanceof OciError) {
      throw new Error(
        `${project}: cannot read the image layout ${dir}: ${error.message}. Build it first: nx run ${project}:image (push depends on image)`,
        { cause: error },
      );
    }
    throw error;
  }
}

function targetFor(request: PushLayoutRequest, images: readonly Image[]): WriteTarget {
  const mountFrom = mountSources(images, request.client.registry).filter(
    (repository) => repository !== request.repository,
  );
  return { client: request.client, repository: request.repository, mountFrom };
}

/**
 * Pushes the project's layout: blobs (base layers mounted when their repository lives on
 * the same registry), each platform's manifest, the index, `beforeTags` (signing), then the tags.
 */
export async function pushProjectIndex(
  request: PushLayoutRequest,
  tags: readonly string[],
  beforeTags?: (index: ImageIndex, indexDigest: string) => Promise<void>,
): Promise<PushedIndex> {
  const index = await readProjectIndex(request.workspaceRoot, request.project, request.layoutDir);
  const target = targetFor(request, index.images);
  const indexDigest = await writeIndex(
    target,
    index,
    tags,
    beforeTags && ((digest) => beforeTags(index, digest)),
  ).catch((error: unknown) => rethrowCorrupt(request, error));
  return {
    indexDigest,
    platforms: index.manifests.map((descriptor) => ({
      platform: formatPlatform(normalizePlatform(descriptor.platform as Platform)),
      digest: descriptor.digest,
    })),
    tags,
    mountFrom: target.mountFrom ?? [],
  };
}

/** Pushes one platform's manifest of the project's layout by digest, untagged. */
export async function pushProjectPlatform(
  request: PushLayoutRequest,
  platform: Platform,
): Promise<PushedPlatform> {
  const index = await readProjectIndex(request.workspaceRoot, request.project, request.layoutDir);
  const at = findPlatform(platform, index.manifests, (descriptor) => descriptor.platform);
  if (at < 0) {
    const offered = index.manifests
      .map((descriptor) => formatPlatform(descriptor.platform as Platform))
      .join(', ');
    throw new Error(
      `${request.project}: the image has no ${formatPlatform(platform)} manifest (it has ${offered}); add the platform to the project's platforms option and rebuild`,
    );
  }
  const image = index.images[at]!;
  const digest = await writeImage(targetFor(request, [image]), image).catch((error: unknown) =>
    rethrowCorrupt(request, error),
  );
  return { platform: formatPlatform(platform), digest };
}

/**
 * Blobs are read (and checked) while they are pushed: a missing or altered blob surfaces
 * mid-push as an OciError. Says so with the project and the fix; no manifest or tag was
 * pushed yet, since manifests follow their blobs.
 */
function rethrowCorrupt(request: PushLayoutRequest, error: unknown): never {
  if (error instanceof OciError)
    throw new CorruptLayoutError(
      request.project,
      join(request.workspaceRoot, DIST.imageDir(request.project)),
      error,
    );
  throw error;
}
