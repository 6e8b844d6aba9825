import {
  createRegistryClient,
  formatReference,
  InvalidReferenceError,
  manifestReference,
  parseReference,
  readArtifact,
  readImage,
  RegistryError,
  NotAnImageError,
  type CredentialStore,
  type ImageReference,
  type RegistryClient,
} from '@crossdock/registry';
import { OciError, type Image } from '@crossdock/oci';
import type { Platform } from '@crossdock/platform';
import { BaseImageError } from './base-error';
import { baseFromImages } from './image-base';
import type { ResolvedBase } from './resolved-base';
import { selectBaseManifests } from './select-manifests';
import type { BlobCache } from './blob-cache';
import { withBlobCache } from './cached-registry-client';

/** What resolving a registry base needs besides the reference. */
export interface RegistryBaseContext {
  readonly project: string;
  /** Credentials for the base's registry (e.g. from the Docker config); anonymous when absent. */
  readonly credentials?: CredentialStore;
  /** Hosts reachable over plain HTTP besides loopback ones. */
  readonly insecure?: readonly string[];
  /** Where the base's configs and layers are kept between builds. */
  readonly blobCache?: BlobCache;
}

/**
 * Resolves a registry base (`host/repo:tag` or `host/repo@sha256:...`): fetches its index
 * (or single manifest), chooses each platform's manifest and reads the manifests and
 * configs. Layers are downloaded only when opened, once, and checked against their digests.
 * `from` is the reference pinned by the digest just read.
 */
export async function resolveRegistryBase(
  reference: string,
  platforms: readonly Platform[],
  context: RegistryBaseContext,
): Promise<ResolvedBase> {
  const fail = (detail: string, cause?: unknown): never => {
    throw new BaseImageError(context.project, reference, detail, { cause });
  };
  let ref: ImageReference;
  try {
    ref = parseReference(reference);
  } catch (error) {
    if (error instanceof InvalidReferenceError)
      return fail(
        `${error.message}; use scratch, oci:<path> or a reference such as 127.0.0.1:5000/busybox:latest`,
        error,
      );
    throw error;
  }
  const registry = createRegistryClient({
    registry: ref.registry,
    ...(context.credentials ? { credentials: context.credentials } : {}),
    ...(context.insecure ? { insecure: context.insecure } : {}),
    retry: { maxAttempts: 3 },
  });
  const client = context.blobCache ? withBlobCache(registry, context.blobCache) : registry;
  try {
    return await resolveWith(client, ref, reference, platforms, context.project);
  } catch (error) {
    if (
      error instanceof RegistryError ||
      error instanceof OciError ||
      error instanceof NotAnImageError
    )
      return fail(`cannot read it from ${ref.registry}: ${error.message}`, error);
    throw error;
  }
}

async function resolveWith(
  client: RegistryClient,
  ref: ImageReference,
  reference: string,
  platforms: readonly Platform[],
  project: string,
): Promise<ResolvedBase> {
  const top = await readArtifact(client, ref.repository, manifestReference(ref));
  const source = { project, base: reference };
  let images: Image[];
  if (top.kind === 'index') {
    const { manifests } = top.index;
    const chosen = selectBaseManifests(source, platforms, manifests);
    images = await Promise.all(
      chosen.map((i) => readImage(client, ref.repository, manifests[i]!.digest)),
    );
  } else {
    // A single-platform base serves only its own platform.
    const { image } = top;
    selectBaseManifests(
      source,
      platforms,
      platforms.map(() => image.descriptor()),
    );
    images = platforms.map(() => image);
  }
  const { tag: _tag, ...pinned } = ref;
  return baseFromImages({
    name: formatReference(ref),
    digest: top.digest,
    from: formatReference({ ...pinned, digest: top.digest }),
    registryRepository: { host: ref.registry, repository: ref.repository },
    platforms,
    images,
  });
}
