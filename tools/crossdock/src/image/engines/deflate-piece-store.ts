import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodeDeflatePack,
  deflatePackSegments,
  packedPieceIntact,
  type DeflateCache,
  type DeflatedPiece,
} from '@crossdock/oci';
import { privateFolder, pruneOldest } from '../../support/files/private-folder';
import { writeFileAtomically } from '../../support/files/write-atomically';

/** One layer's deflate cache: the pieces of the last layer built in its slot, and a way to keep this one's. */
export interface LayerDeflateCache {
  readonly cache: DeflateCache;
  /** Begins replacing the slot's pieces with those this layer's gzip put into `cache` (see DeflatePieceStore.written). */
  keep(): void;
}

/** Where layers keep their deflate pieces between builds (see deflatePieceStore). */
export interface DeflatePieceStore {
  /** Opens the deflate cache of one layer slot. */
  open(slot: string): Promise<LayerDeflateCache>;
  /** Resolves once every pack write begun so far has finished: a layer does not wait for its own. */
  written(): Promise<void>;
}

/** How many slots' packs are kept (about 3 MB each for a Go service); the least recently written go first. */
export const KEPT_PACKS = 128;

const PACK_SUFFIX = '.pieces';
const PACK_NAME = /\.pieces$/;

/**
 * Where the builtin engine keeps each layer's deflate pieces between builds: one pack file per
 * slot (the layer's binary: one per workspace, project and platform) in `root`, replaced by
 * each build of that slot. A piece's key names its bytes exactly (zlib build, level, content
 * digest) and a piece whose bytes do not check out is not lent, so what is reused is what
 * compressing again gives: the cache changes no output, only how much is compressed.
 *
 * Each user has a folder of their own in `root` (a shared cache folder may be writable by
 * others), used only while it is theirs and nobody else may write to it: a pack someone else
 * could have written is never read.
 */
export function deflatePieceStore(root: string): DeflatePieceStore {
  let ownFolder: Promise<string | undefined> | undefined;
  const writing = new Set<Promise<void>>();
  const open = async (slot: string): Promise<LayerDeflateCache> => {
    const dir = await (ownFolder ??= privateFolder(root));
    if (dir === undefined)
      return { cache: { get: () => undefined, set: () => undefined }, keep: () => undefined };
    const name = `${createHash('sha256').update(slot).digest('hex').slice(0, 32)}${PACK_SUFFIX}`;
    const file = join(dir, name);
    const earlier = await readFile(file).then(decodeDeflatePack, () => undefined);
    const kept = new Map<string, DeflatedPiece>();
    const write = async () => {
      try {
        await writeFileAtomically(file, deflatePackSegments(kept));
        // A new slot may take the place of the oldest.
        if (earlier === undefined) await pruneOldest(dir, { names: PACK_NAME, count: KEPT_PACKS });
      } catch {
        // A pack that cannot be written only means compressing again next time.
      }
    };
    return {
      cache: {
        // A piece whose bytes do not check out is compressed again.
        get: (key) => {
          const piece = earlier?.get(key);
          return piece && packedPieceIntact(piece) ? piece : undefined;
        },
        set: (key, piece) => void kept.set(key, piece),
      },
      keep: () => {
        const written = write();
        writing.add(written);
        void written.then(() => writing.delete(written));
      },
    };
  };
  return {
    open,
    written: async () => {
      while (writing.size > 0) await Promise.all(writing);
    },
  };
}
