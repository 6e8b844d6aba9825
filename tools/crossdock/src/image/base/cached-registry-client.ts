import { isDigest, parseJsonObject, type Descriptor } from '@crossdock/oci';
import type { FetchedManifest, RegistryClient } from '@crossdock/registry';
import type { BlobCache } from './blob-cache';

/**
 * `client` with what a digest names served by `cache` when it holds it, and kept there once
 * fetched: a base's manifests, configs and layers come from the registry once. A tag is
 * always asked of the registry; everything else (pushes, deletes, tags) goes there too.
 */
export function withBlobCache(client: RegistryClient, cache: BlobCache): RegistryClient {
  return {
    ...client,
    async getBlob(repository: string, blob: string | Descriptor): Promise<Uint8Array> {
      const descriptor = typeof blob === 'string' ? { digest: blob } : blob;
      const kept = await cache.get(descriptor.digest);
      if (kept !== undefined && (!('size' in descriptor) || kept.byteLength === descriptor.size))
        return kept;
      // getBlob checked the bytes against the digest (and size).
      const fetched = await client.getBlob(repository, blob);
      await cache.put(descriptor.digest, fetched);
      return fetched;
    },
    async getManifest(
      repository: string,
      reference: string,
      accept?: readonly string[],
    ): Promise<FetchedManifest> {
      if (!isDigest(reference)) return client.getManifest(repository, reference, accept);
      const kept = await cache.get(reference);
      const keptType = kept && declaredMediaType(kept);
      if (kept && keptType && (accept === undefined || accept.includes(keptType)))
        return { bytes: kept, mediaType: keptType, digest: reference };
      const fetched = await client.getManifest(repository, reference, accept);
      // Kept only when its own mediaType is what the registry said: then it answers alike.
      if (fetched.digest === reference && declaredMediaType(fetched.bytes) === fetched.mediaType)
        await cache.put(reference, fetched.bytes);
      return fetched;
    },
  };
}

/** The `mediaType` a manifest or index names itself, if it does. */
function declaredMediaType(bytes: Uint8Array): string | undefined {
  try {
    const { mediaType } = parseJsonObject(bytes, 'manifest');
    return typeof mediaType === 'string' ? mediaType : undefined;
  } catch {
    return undefined;
  }
}
