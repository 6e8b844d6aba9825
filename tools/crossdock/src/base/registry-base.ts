import {
  createRegistryClient,
  formatReference,
  InvalidReferenceError,
  manifestReference,
  parseReference,
  RegistryError,
  type CredentialStore,
  type ImageReference,
  type RegistryClient,
} from '@crossdock/registry';
import {
  imageFromBytes,
  isIndexMediaType,
  layerFromBlob,
  OciError,
  parseImageConfig,
  parseImageManifest,
  parseIndexManifest,
  type Descriptor,
  type Image,
} from '@crossdock/oci';
import type { Platform } from '@crossdock/platform';
import { BaseImageError } from './base-error';
import { baseFromImages } from './image-base';
import type { ResolvedBase } from './resolved-base';
import { selectBaseManifests } from './select-manifests';

/** What resolving a registry base needs besides the reference. */
export interface RegistryBaseContext {
  readonly project: string;
  /** Credentials for the base's registry (e.g. from the Docker config); anonymous when absent. */
  readonly credentials?: CredentialStore;
  /** Hosts reachable over plain HTTP besides loopback ones. */
  readonly insecure?: readonly string[];
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
  const client = createRegistryClient({
    registry: ref.registry,
    ...(context.credentials ? { credentials: context.credentials } : {}),
    ...(context.insecure ? { insecure: context.insecure } : {}),
    retry: { maxAttempts: 3 },
  });
  try {
    return await resolveWith(client, ref, reference, platforms, context.project);
  } catch (error) {
    if (error instanceof RegistryError || error instanceof OciError)
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
  const top = await client.getManifest(ref.repository, manifestReference(ref));
  const source = { project, base: reference };
  let images: Image[];
  if (isIndexMediaType(top.mediaType)) {
    const index = parseIndexManifest(top.bytes, `index ${top.digest} of ${reference}`);
    const chosen = selectBaseManifests(source, platforms, index.manifests);
    images = await Promise.all(
      chosen.map((i) => readImage(client, ref.repository, index.manifests[i]!.digest)),
    );
  } else {
    // A single-platform base serves only its own platform.
    const image = await imageOf(client, ref.repository, top.bytes, top.digest);
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

async function readImage(
  client: RegistryClient,
  repository: string,
  digest: string,
): Promise<Image> {
  const manifest = await client.getManifest(repository, digest);
  return imageOf(client, repository, manifest.bytes, manifest.digest);
}

async function imageOf(
  client: RegistryClient,
  repository: string,
  manifestBytes: Uint8Array,
  digest: string,
): Promise<Image> {
  const manifest = parseImageManifest(manifestBytes, `manifest ${digest}`);
  const configBytes = await client.getBlob(repository, manifest.config);
  const config = parseImageConfig(configBytes, `config ${manifest.config.digest}`);
  const layers = manifest.layers.map((descriptor, i) =>
    layerFromBlob(
      descriptor,
      config.rootfs.diff_ids[i] ?? '',
      downloadOnce(client, repository, descriptor),
    ),
  );
  return imageFromBytes(manifestBytes, configBytes, layers);
}

/** An opener that downloads a blob on first use (getBlob checks size and digest) and keeps the bytes. */
function downloadOnce(
  client: RegistryClient,
  repository: string,
  descriptor: Descriptor,
): () => Promise<Uint8Array> {
  let bytes: Promise<Uint8Array> | undefined;
  return () => {
    bytes ??= client.getBlob(repository, descriptor).catch((error: unknown) => {
      bytes = undefined;
      throw error;
    });
    return bytes;
  };
}
