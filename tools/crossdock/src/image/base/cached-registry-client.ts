import type { Descriptor } from '@crossdock/oci';
import type { RegistryClient } from '@crossdock/registry';
import type { BlobCache } from './blob-cache';

/**
 * `client` with its blob reads served by `cache` when it holds the digest (and, given a
 * descriptor, the size), and kept there once fetched: a base's configs and layers come from
 * the registry once. Everything else (manifests, tags, pushes) goes to the registry.
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
  };
}
