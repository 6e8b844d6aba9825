import { MediaType } from '@crossdock/oci';
import { RegistryError, type RegistryClient } from '@crossdock/registry';
import type { CacheStore } from './cache-store';
import {
  EMPTY_CONFIG,
  EMPTY_CONFIG_BYTES,
  entryManifestBytes,
  parseEntryManifest,
} from './entry-manifest';

/**
 * A {@link CacheStore} in one repository of an OCI registry: each entry is a manifest
 * tagged with the task hash, its archive the one layer (uploaded in chunks from the spool
 * file, never whole in memory). The manifest is pushed only after the archive is stored,
 * so a tag never names an incomplete entry. Writes check the tag first and never replace
 * one (two servers racing on one hash within that window both store complete entries for
 * the same task; the later tag wins).
 */
export function registryCacheStore(client: RegistryClient, repository: string): CacheStore {
  const readManifest = async (hash: string) => {
    try {
      return await client.getManifest(repository, hash, [MediaType.ociManifest]);
    } catch (error) {
      if (error instanceof RegistryError && (error.status === 404 || error.code === 'NOT_FOUND'))
        return undefined;
      throw error;
    }
  };
  return {
    name: `${client.registry}/${repository}`,
    async find(hash) {
      const fetched = await readManifest(hash);
      const entry = fetched && parseEntryManifest(fetched.bytes);
      if (!entry) return undefined;
      return {
        archive: entry.archive,
        open: () => client.openBlobStream(repository, entry.archive),
      };
    },
    async write(hash, archive) {
      if ((await client.headManifest(repository, hash, [MediaType.ociManifest])) !== undefined)
        return 'exists';
      await client.pushBlobStream(repository, archive);
      await client.pushBlob(repository, {
        descriptor: EMPTY_CONFIG,
        open: async () => EMPTY_CONFIG_BYTES,
      });
      const manifest = entryManifestBytes(hash, archive.descriptor, new Date());
      // Checked again right before the tag is written: the upload may have taken a while.
      if ((await client.headManifest(repository, hash, [MediaType.ociManifest])) !== undefined)
        return 'exists';
      await client.pushManifest(repository, hash, manifest, MediaType.ociManifest);
      return 'stored';
    },
  };
}
