import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  EPOCH,
  buildLayer,
  emptyImage,
  indexFromImages,
  withConfig,
  withLayer,
  type ImageIndex,
} from '@crossdock/oci';
import { draftOciLayout, readOciLayout, validateLayout, writeOciLayout } from '../src';
import { tempDir } from '../../test-support/src/integration-gates';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A two-platform index of one-file layers whose content is `content`. */
async function smallIndex(content: string): Promise<ImageIndex> {
  const images = await Promise.all(
    (['amd64', 'arm64'] as const).map(async (architecture) => {
      const layer = await buildLayer(
        [
          {
            path: 'app',
            type: 'file',
            mode: 0o755,
            uid: 0,
            gid: 0,
            content: text(`${content} ${architecture}`),
          },
        ],
        { mtime: 0 },
      );
      return withLayer(
        withConfig(emptyImage({ os: 'linux', architecture }), { created: EPOCH }),
        layer,
        {
          created: EPOCH,
        },
      );
    }),
  );
  return indexFromImages(images);
}

/** Every file under `dir` with its bytes, by relative path. */
async function files(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length + 1)] = (await readFile(path)).toString('base64');
  }
  return out;
}

describe('a layout draft', () => {
  // A layer's gzip stream in its parts (header, deflate pieces, final block, trailer) is
  // written with one writev, never joined into one array.
  it.each(['one array', 'its parts'] as const)(
    'with layers written ahead as %s, commits the layout writeOciLayout writes',
    async (form) => {
      const { dir, cleanup } = await tempDir('crossdock-draft-');
      onTestFinished(cleanup);
      const index = await smallIndex('v1');
      await writeOciLayout(join(dir, 'whole'), index, { refName: 'latest' });
      const draft = await draftOciLayout(join(dir, 'drafted'));
      for (const image of index.images)
        for (const layer of image.layers) {
          const bytes = form === 'one array' ? await layer.open() : await layer.openSegments!();
          if (form === 'its parts') expect(bytes.length).toBeGreaterThan(3);
          draft.addBlob(layer.descriptor, bytes, 'layer');
        }
      await draft.commit(index, { refName: 'latest' });
      expect(await files(join(dir, 'drafted'))).toEqual(await files(join(dir, 'whole')));
      await validateLayout(join(dir, 'drafted'));
      expect(await readdir(dir)).toEqual(['drafted', 'whole']);
    },
  );

  it('drops a blob written ahead that the committed index does not name', async () => {
    const { dir, cleanup } = await tempDir('crossdock-draft-');
    onTestFinished(cleanup);
    const stale = await smallIndex('another plan');
    const index = await smallIndex('v2');
    const draft = await draftOciLayout(join(dir, 'layout'));
    const extra = stale.images[0]!.layers[0]!;
    draft.addBlob(extra.descriptor, await extra.open(), 'layer');
    await draft.commit(index);
    const blobs = await readdir(join(dir, 'layout', 'blobs', 'sha256'));
    expect(blobs).not.toContain(extra.descriptor.digest.slice('sha256:'.length));
    await validateLayout(join(dir, 'layout'));
  });

  it('fails the commit on a blob whose bytes do not match, and leaves the old layout and nothing beside it', async () => {
    const { dir, cleanup } = await tempDir('crossdock-draft-');
    onTestFinished(cleanup);
    const layoutDir = join(dir, 'layout');
    const old = await smallIndex('old');
    await writeOciLayout(layoutDir, old);
    const before = await files(layoutDir);
    const index = await smallIndex('new');
    const draft = await draftOciLayout(layoutDir);
    const layer = index.images[0]!.layers[0]!;
    draft.addBlob(layer.descriptor, text('not the layer'), 'amd64 layer');
    await expect(draft.commit(index)).rejects.toThrow(/amd64 layer/);
    // The same for bytes given in parts.
    const again = await draftOciLayout(layoutDir);
    again.addBlob(layer.descriptor, [text('not '), text('the layer')], 'amd64 layer');
    await expect(again.commit(index)).rejects.toThrow(/amd64 layer/);
    expect(await files(layoutDir)).toEqual(before);
    expect(await readdir(dir)).toEqual(['layout']);
  });

  it('discards: the old layout stays and the draft is gone', async () => {
    const { dir, cleanup } = await tempDir('crossdock-draft-');
    onTestFinished(cleanup);
    const layoutDir = join(dir, 'layout');
    await writeOciLayout(layoutDir, await smallIndex('old'));
    const before = await files(layoutDir);
    const index = await smallIndex('new');
    const draft = await draftOciLayout(layoutDir);
    const layer = index.images[1]!.layers[0]!;
    draft.addBlob(layer.descriptor, await layer.open(), 'layer');
    await draft.discard();
    expect(await files(layoutDir)).toEqual(before);
    expect(await readdir(dir)).toEqual(['layout']);
    expect((await (await readOciLayout(layoutDir)).resolveIndex()).digest).toBeDefined();
  });
});
