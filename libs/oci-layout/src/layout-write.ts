import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Annotation } from '@crossdock/oci';
import { blobMismatch } from '@crossdock/oci';
import { canonicalJsonBytes } from '@crossdock/oci';
import type { Descriptor, Segments } from '@crossdock/oci';
import { OciLayoutError } from './errors';
import type { ImageIndex } from '@crossdock/oci';
import { IMAGE_LAYOUT_VERSION, INDEX_FILE, OCI_LAYOUT_FILE, layoutBlobPath } from './layout-paths';
import { freshSibling, swapIntoPlace } from './layout-swap';
import { writeSegments } from './write-segments';
import { MediaType } from '@crossdock/oci';

/** Options of {@link writeOciLayout}. */
export interface WriteOciLayoutOptions {
  /** Written as `org.opencontainers.image.ref.name` on the index.json entry (e.g. "latest"). */
  readonly refName?: string;
}

const OPTION_KEYS: ReadonlySet<string> = new Set(['refName']);
/** image-spec annotations.md grammar for ref.name. */
const REF_NAME = /^[A-Za-z0-9]+(?:(?:[-._:@/+]|--)[A-Za-z0-9]+)*$/;

/**
 * Writes `index` as an OCI image layout in `dir` (absolute): `oci-layout`, every blob
 * once (layers, configs, manifests, the image index) and an `index.json` whose single
 * entry points at the image index. The layout is built in a sibling directory and
 * swapped in, so readers see the old layout or the new one, never a mix. Each layer's
 * bytes are checked against its descriptor. Returns the index.json entry.
 */
export async function writeOciLayout(
  dir: string,
  index: ImageIndex,
  options: WriteOciLayoutOptions = {},
): Promise<Descriptor> {
  checkWriteOptions(dir, options);
  const draft = await draftOciLayout(dir);
  return draft.commit(index, options);
}

/**
 * An OCI layout being written in a sibling directory of its own: blobs can go in as they are
 * made (a layer while other platforms still compile), the rest and the swap at commit.
 */
export interface OciLayoutDraft {
  /**
   * Writes one blob now, checked against its descriptor, and flushes it to disk; commit
   * waits for it (and fails with it). A blob the committed index does not name is dropped.
   */
  addBlob(descriptor: Descriptor, bytes: Uint8Array | Segments, what: string): void;
  /** Writes the index's other blobs, oci-layout and index.json, flushes them and swaps the layout in. */
  commit(index: ImageIndex, options?: WriteOciLayoutOptions): Promise<Descriptor>;
  /** Removes the draft; the layout stays as it was. */
  discard(): Promise<void>;
}

/** Starts writing a layout for `dir` (absolute) in a sibling directory (see {@link OciLayoutDraft}). */
export async function draftOciLayout(dir: string): Promise<OciLayoutDraft> {
  const tmp = await freshSibling(dir);
  await mkdir(join(tmp, 'blobs', 'sha256'), { recursive: true });
  // Blobs written ahead, by digest; each settles once it is on disk.
  const early = new Map<string, Promise<void>>();
  const discard = () => rm(tmp, { recursive: true, force: true });
  return {
    addBlob(descriptor, bytes, what) {
      if (early.has(descriptor.digest)) return;
      const written = (async () => {
        checkBlob(dir, descriptor, bytes, what);
        const handle = await writeUnsynced(layoutBlobPath(tmp, descriptor.digest), bytes);
        await syncAndClose([handle]);
      })();
      written.catch(() => undefined); // commit awaits it
      early.set(descriptor.digest, written);
    },
    async commit(index, options = {}) {
      try {
        checkWriteOptions(dir, options);
        const entry = await writeRest(tmp, dir, index, options, early);
        await swapIntoPlace(dir, tmp);
        return entry;
      } catch (error) {
        await discard();
        throw error;
      }
    },
    async discard() {
      await Promise.allSettled(early.values());
      await discard();
    },
  };
}

function checkWriteOptions(dir: string, options: WriteOciLayoutOptions): void {
  const unknown = Object.keys(options).filter((k) => !OPTION_KEYS.has(k));
  if (unknown.length > 0)
    throw new OciLayoutError(
      `writeOciLayout: unknown option(s) ${unknown.join(', ')}; valid options are refName`,
      dir,
    );
  if (options.refName !== undefined && !REF_NAME.test(options.refName)) {
    throw new OciLayoutError(
      `ref name "${options.refName}" is invalid; use letters and digits separated by - . _ : @ / + (e.g. "latest", "v1.2.3")`,
      dir,
    );
  }
}

/**
 * Into the draft `tmp`: every blob of `index` not written ahead, checked against its digest,
 * a few writes at a time, `oci-layout` and `index.json`, all flushed to disk together (one
 * journal commit, not one per file); blobs written ahead that the index does not name are
 * removed. Returns the index.json entry.
 */
async function writeRest(
  tmp: string,
  dir: string,
  index: ImageIndex,
  options: WriteOciLayoutOptions,
  early: ReadonlyMap<string, Promise<void>>,
): Promise<Descriptor> {
  const entry: Descriptor = {
    ...index.descriptor(),
    ...(options.refName === undefined
      ? {}
      : { annotations: { [Annotation.refName]: options.refName } }),
  };
  const blobs = new Map<string, Pending>();
  const add = (descriptor: Descriptor, bytes: () => Promise<Uint8Array>, what: string) => {
    if (!blobs.has(descriptor.digest)) blobs.set(descriptor.digest, { descriptor, bytes, what });
  };
  for (const [i, image] of index.images.entries()) {
    for (const [j, layer] of image.layers.entries())
      add(layer.descriptor, () => layer.open(), `image ${i} layer ${j}`);
    add(image.manifest.config, async () => image.configBytes(), `image ${i} config`);
    add(image.descriptor(), async () => image.manifestBytes(), `image ${i} manifest`);
  }
  add(index.descriptor(), async () => index.manifestBytes(), 'image index');
  const rest = [...blobs.values()].filter((blob) => !early.has(blob.descriptor.digest));
  const settled = await settleAtMost(BLOBS_AT_ONCE, rest, async (blob) => {
    const data = await blob.bytes();
    checkBlob(dir, blob.descriptor, data, blob.what);
    return writeUnsynced(layoutBlobPath(tmp, blob.descriptor.digest), data);
  });
  const files = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const ahead = await Promise.allSettled(early.values());
  const failedAhead = ahead.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined || failedAhead !== undefined) {
    await Promise.all(files.map((handle) => handle.close()));
    throw (failed ?? failedAhead)!.reason;
  }
  const unnamed = [...early.keys()].filter((digest) => !blobs.has(digest));
  await Promise.all(unnamed.map((digest) => rm(layoutBlobPath(tmp, digest), { force: true })));
  const top = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [entry] };
  files.push(
    await writeUnsynced(
      join(tmp, OCI_LAYOUT_FILE),
      canonicalJsonBytes({ imageLayoutVersion: IMAGE_LAYOUT_VERSION }),
    ),
    await writeUnsynced(join(tmp, INDEX_FILE), canonicalJsonBytes(top)),
  );
  await syncAndClose(files);
  return entry;
}

/** Throws unless `bytes` are the blob `descriptor` names. */
function checkBlob(
  dir: string,
  descriptor: Descriptor,
  bytes: Uint8Array | Segments,
  what: string,
): void {
  const problem = blobMismatch(bytes, descriptor);
  if (problem !== undefined)
    throw new OciLayoutError(`${what}: ${problem}`, layoutBlobPath(dir, descriptor.digest));
}

/** A blob to write: where its bytes come from, and what it is (for errors). */
interface Pending {
  readonly descriptor: Descriptor;
  readonly bytes: () => Promise<Uint8Array>;
  readonly what: string;
}

/** How many blobs are read, checked and written at once (bounds the memory big base layers take). */
const BLOBS_AT_ONCE = 6;

/** `run` for every item, at most `limit` at a time; every outcome, in the items' order. */
async function settleAtMost<T, R>(
  limit: number,
  items: readonly T[],
  run: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      try {
        results[i] = { status: 'fulfilled', value: await run(items[i]!) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Writes a new file and keeps it open for {@link syncAndClose}. */
async function writeUnsynced(path: string, bytes: Uint8Array | Segments): Promise<FileHandle> {
  const handle = await open(path, 'wx', 0o644);
  try {
    if (bytes instanceof Uint8Array) await handle.writeFile(bytes);
    else await writeSegments(handle, bytes);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Flushes every file to disk at once (one journal commit, not one per file), then closes them. */
async function syncAndClose(handles: readonly FileHandle[]): Promise<void> {
  try {
    await Promise.all(handles.map((handle) => handle.sync()));
  } finally {
    await Promise.all(handles.map((handle) => handle.close()));
  }
}
