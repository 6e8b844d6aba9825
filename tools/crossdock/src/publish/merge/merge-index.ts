import {
  canonicalJsonBytes,
  MediaType,
  OciError,
  sha256Digest,
  type Descriptor,
  type Image,
  type OciPlatform,
} from '@crossdock/oci';
import { readArtifact, type RegistryClient } from '@crossdock/registry';
import { formatPlatform, platformMatches } from '@crossdock/platform';
import type { CellDigest } from './digest-records';

/** The index merge made: its digest, bytes, and the child descriptors it lists. */
export interface MergedIndex {
  readonly digest: string;
  readonly bytes: Uint8Array;
  readonly manifests: readonly Descriptor[];
  /** The annotations the index carries (those every child shares). */
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * Builds the index of the cells' manifests as they are in the registry: each child is
 * referenced by its digest, size and media type from the registry, never re-serialised,
 * so its digest stays byte-identical. Each manifest's config must say the cell's platform.
 * The index carries the annotations all children share (crossdock puts the same title,
 * version, revision and base on each), less the user's `manifest:` ones, plus the user's
 * `index:` ones, so the merged index is the very index a one-machine build of the same
 * commit writes.
 */
export async function mergeIndex(
  client: RegistryClient,
  repository: string,
  cells: readonly CellDigest[],
  user: IndexAnnotationChanges = { manifestOnly: new Set(), indexOnly: {} },
): Promise<MergedIndex> {
  const children = await Promise.all(
    cells.map(async (cell) => {
      const artifact = await readArtifact(client, repository, cell.digest).catch(
        (error: unknown) => {
          if (error instanceof OciError)
            throw new Error(`${cell.file}: ${cell.digest}: ${error.message}`, { cause: error });
          throw error;
        },
      );
      if (artifact.digest !== cell.digest)
        throw new Error(
          `${cell.file}: the registry returned ${artifact.digest} for ${cell.digest}`,
        );
      if (artifact.kind === 'index')
        throw new Error(
          `${cell.file}: ${cell.digest} is an index (${artifact.mediaType}), not a single-platform image manifest`,
        );
      const { image } = artifact;
      const platform = configPlatform(cell, image);
      return {
        descriptor: image.descriptor(platform),
        annotations: image.manifest.annotations ?? {},
      };
    }),
  );
  const manifests = children.map((child) => child.descriptor);
  const annotations = {
    ...withoutKeys(
      sharedAnnotations(children.map((child) => child.annotations)),
      user.manifestOnly,
    ),
    ...user.indexOnly,
  };
  const index = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests,
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
  const bytes = canonicalJsonBytes(index);
  return { digest: sha256Digest(bytes), bytes, manifests, annotations };
}

/** The platform a child's config declares; it must be the cell's. */
function configPlatform(cell: CellDigest, image: Image): OciPlatform {
  const { config } = image;
  const actual = {
    architecture: config.architecture,
    os: config.os,
    ...(config.variant ? { variant: config.variant } : {}),
  };
  if (!platformMatches(cell.platform, actual)) {
    throw new Error(
      `${cell.file}: ${cell.digest} is an image for ${formatPlatform(actual)}, not ${formatPlatform(cell.platform)}`,
    );
  }
  return actual;
}

/**
 * The user annotations that make a one-machine index differ from what its manifests share:
 * `manifest:` keys (not on the index) and `index:` ones (only there, expanded).
 */
export interface IndexAnnotationChanges {
  readonly manifestOnly: ReadonlySet<string>;
  readonly indexOnly: Readonly<Record<string, string>>;
}

function withoutKeys(
  record: Readonly<Record<string, string>>,
  keys: ReadonlySet<string>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.has(key)));
}

/** The key/value pairs present, with the same value, in every one of `sets`. */
export function sharedAnnotations(
  sets: readonly Readonly<Record<string, string>>[],
): Record<string, string> {
  if (sets.length === 0) return {};
  return Object.fromEntries(
    Object.entries(sets[0]).filter(([key, value]) => sets.every((set) => set[key] === value)),
  );
}
