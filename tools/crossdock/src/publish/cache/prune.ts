import { MediaType } from '@crossdock/oci';
import { RegistryError, type RegistryClient } from '@crossdock/registry';
import { parseEntryManifest } from './entry-manifest';
import { isTaskHash } from './task-hash';

/** What a prune did. */
export interface PruneResult {
  /** Cache entries seen (tags that are task hashes naming a crossdock cache manifest). */
  readonly entries: number;
  readonly deleted: number;
}

/**
 * Deletes the cache entries of a repository stored before `cutoffMs` (by their created
 * annotation): each entry's manifest by digest, which removes its tag; the archives stay
 * until the registry's garbage collection. Tags that are no cache entry are left alone. A
 * registry that allows no deletes is an error saying so, before anything is deleted.
 */
export async function pruneEntries(
  client: RegistryClient,
  repository: string,
  cutoffMs: number,
): Promise<PruneResult> {
  let tags: readonly string[];
  try {
    tags = await client.listTags(repository);
  } catch (error) {
    if (error instanceof RegistryError && error.status === 404) return { entries: 0, deleted: 0 };
    throw error;
  }
  let entries = 0;
  let deleted = 0;
  for (const tag of tags) {
    if (!isTaskHash(tag)) continue;
    const manifest = await client.getManifest(repository, tag, [MediaType.ociManifest]);
    const entry = parseEntryManifest(manifest.bytes);
    if (!entry) continue;
    entries += 1;
    if (entry.createdMs === undefined || entry.createdMs >= cutoffMs) continue;
    await client.deleteManifest(repository, manifest.digest);
    deleted += 1;
  }
  return { entries, deleted };
}
