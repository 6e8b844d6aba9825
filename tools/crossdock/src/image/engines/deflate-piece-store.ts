import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeDeflatePack, encodeDeflatePack, type DeflateCache } from '@crossdock/oci';
import { writeFileAtomically } from '../../support/files/write-atomically';

/** One layer's deflate cache: the pieces of the last layer built in its slot, and a way to keep this one's. */
export interface LayerDeflateCache {
  readonly cache: DeflateCache;
  /** Replaces the slot's pieces with those this layer's gzip put into `cache`. */
  keep(): Promise<void>;
}

/** Opens the deflate cache of one layer slot (see deflatePieceStore). */
export type DeflatePieceStore = (slot: string) => Promise<LayerDeflateCache>;

/** How many slots' packs are kept (about 3 MB each for a Go service); the least recently written go first. */
export const KEPT_PACKS = 128;

const PACK_SUFFIX = '.pieces';

/**
 * Where the builtin engine keeps each layer's deflate pieces between builds: one pack file per
 * slot (the layer's binary: one per workspace, project and platform) in `dir`, replaced by
 * each build of that slot. A piece's key names its bytes exactly (zlib build, level, content
 * digest) and a pack whose bytes do not check out is not read, so what is reused is what
 * compressing again gives: the cache changes no output, only how much is compressed.
 */
export function deflatePieceStore(dir: string): DeflatePieceStore {
  return async (slot) => {
    const name = `${createHash('sha256').update(slot).digest('hex').slice(0, 32)}${PACK_SUFFIX}`;
    const file = join(dir, name);
    const earlier = await readFile(file).then(decodeDeflatePack, () => undefined);
    const kept = new Map<string, Uint8Array>();
    return {
      cache: {
        get: (key) => earlier?.get(key),
        set: (key, deflated) => void kept.set(key, deflated),
      },
      keep: async () => {
        try {
          await writeFileAtomically(file, encodeDeflatePack(kept));
          // A new slot may take the place of the oldest.
          if (earlier === undefined) await pruneOldest(dir, KEPT_PACKS);
        } catch {
          // A pack that cannot be written only means compressing again next time.
        }
      },
    };
  };
}

/** Removes all but the `keep` most recently written packs in `dir`. */
async function pruneOldest(dir: string, keep: number): Promise<void> {
  const names = (await readdir(dir)).filter((name) => name.endsWith(PACK_SUFFIX));
  if (names.length <= keep) return;
  const written = await Promise.all(
    names.map(async (name) => ({
      path: join(dir, name),
      at: await stat(join(dir, name)).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    })),
  );
  written.sort((a, b) => b.at - a.at);
  await Promise.all(written.slice(keep).map(({ path }) => rm(path, { force: true })));
}
