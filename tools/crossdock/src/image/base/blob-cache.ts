import { readFile, rm, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sha256Digest } from '@crossdock/oci';
import { privateFolder, pruneOldest } from '../../support/files/private-folder';
import { writeFileAtomically } from '../../support/files/write-atomically';

/**
 * Blobs of registry bases kept between builds, by digest: a base's layers and configs are
 * read from the registry once, not on every build (a tag still resolves at the registry
 * every time; only what a digest names is kept). What is returned always matches its digest.
 */
export interface BlobCache {
  /** The blob's bytes, when kept and still matching the digest. */
  get(digest: string): Promise<Uint8Array | undefined>;
  /** Keeps a blob whose bytes were checked against its digest (a failure only means fetching again). */
  put(digest: string, bytes: Uint8Array): Promise<void>;
}

/** How much the blob folder keeps: the blobs used last, up to 2 GiB. */
export const KEPT_BLOB_BYTES = 2 * 1024 ** 3;

const SHA256 = /^sha256:([a-f0-9]{64})$/;
const BLOB_NAME = /^[a-f0-9]{64}$/;

/**
 * The blob cache in `<root>/<uid>`, a folder only its user may write to (see privateFolder):
 * each blob a file named by its sha256, written atomically, checked against that name when
 * read (a damaged one is removed and fetched again), dated when used; the least recently
 * used go once the folder holds more than {@link KEPT_BLOB_BYTES}.
 */
export function localBlobCache(root: string): BlobCache {
  let folder: Promise<string | undefined> | undefined;
  const fileOf = async (digest: string): Promise<string | undefined> => {
    const hex = SHA256.exec(digest)?.[1];
    const dir = await (folder ??= privateFolder(root));
    return hex === undefined || dir === undefined ? undefined : join(dir, hex);
  };
  return {
    async get(digest) {
      const file = await fileOf(digest);
      if (file === undefined) return undefined;
      const bytes = await readFile(file).catch(() => undefined);
      if (bytes === undefined) return undefined;
      if (sha256Digest(bytes) !== digest) {
        await rm(file, { force: true });
        return undefined;
      }
      const now = new Date();
      await utimes(file, now, now).catch(() => undefined); // used: kept longer
      return bytes;
    },
    async put(digest, bytes) {
      const file = await fileOf(digest);
      if (file === undefined) return;
      try {
        await writeFileAtomically(file, bytes);
        await pruneOldest(dirname(file), { names: BLOB_NAME, bytes: KEPT_BLOB_BYTES });
      } catch {
        // Not kept: the next build fetches it again.
      }
    },
  };
}
