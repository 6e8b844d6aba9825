import { randomBytes } from 'node:crypto';
import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzip, sha256Digest } from '@crossdock/oci';
import { readOciLayout } from '@crossdock/oci-layout';
import { parsePlatform } from '@crossdock/platform';
import { scratchBase } from '../../src/image/base/scratch-base';
import { builtinEngine, createBuiltinEngine } from '../../src/image/engines/builtin-engine';
import {
  deflatePieceStore,
  KEPT_PACKS,
  type DeflatePieceStore,
} from '../../src/image/engines/deflate-piece-store';
import type { Engine, StartedLayers } from '../../src/image/engines/engine';
import type { ImagePlan } from '../../src/image/plan';
import type { Reporter } from '../../src/support/report/reporter';
import { testPlan } from '../support/image-plan';

// The builtin engine's layer compression: the plan's level reaches the gzip, and every level
// gives the same uncompressed layer (diff_id), the same bytes on every run.

const quiet: Reporter = { step: () => undefined, warn: () => undefined, block: () => undefined };
let dir: string;
let binary: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crossdock-builtin-engine-'));
  binary = join(dir, 'hello');
  // Compressible but not trivially so: the levels must differ in size.
  const text = Array.from({ length: 60_000 }, (_, i) => `line ${i} ${(i * 7919) % 1000}\n`);
  await writeFile(binary, text.join(''));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function planAt(compressionLevel: number): ImagePlan {
  const files = [{ path: 'usr/local/bin/hello', mode: 0o755, uid: 0, gid: 0, source: binary }];
  return testPlan([{ platform: parsePlatform('linux/arm64'), binary, files }], {
    compressionLevel,
  });
}

/** Builds the plan and returns the one layer blob's descriptor, bytes and diff_id. */
async function layerAt(compressionLevel: number, name: string) {
  const layoutDir = join(dir, name);
  await builtinEngine.build({
    plan: planAt(compressionLevel),
    base: scratchBase,
    contextDir: dir,
    layoutDir,
    reporter: quiet,
  });
  const layout = await readOciLayout(layoutDir);
  const index = await layout.resolveIndex();
  const image = await layout.image(index.manifest.manifests[0]!);
  const layer = image.manifest.layers[0]!;
  const bytes = await layout.blob(layer);
  return { layer, diffId: sha256Digest(await gunzip(bytes)) };
}

describe('builtin engine compression', () => {
  it('compresses at the plan level: same diff_id, smaller at 9 than at 1, stable per level', async () => {
    const fast = await layerAt(1, 'level-1');
    const again = await layerAt(1, 'level-1-again');
    const best = await layerAt(9, 'level-9');
    expect(fast.diffId).toBe(best.diffId);
    expect(best.layer.size).toBeLessThan(fast.layer.size);
    expect(again.layer.digest).toBe(fast.layer.digest);
    expect(best.layer.digest).not.toBe(fast.layer.digest);
  });
});

describe('builtin engine layers started early', () => {
  async function indexDigest(plan: ImagePlan, name: string, started?: StartedLayers) {
    const layoutDir = join(dir, name);
    const result = await builtinEngine.build({
      plan,
      base: scratchBase,
      contextDir: dir,
      layoutDir,
      reporter: quiet,
      ...(started ? { started } : {}),
    });
    return result.indexDigest;
  }

  it('takes the layers startLayers began: the same images as a build that makes its own', async () => {
    const plan = planAt(1);
    const started = builtinEngine.startLayers!(plan);
    expect(started.layers.size).toBe(1);
    expect(await indexDigest(plan, 'early', started)).toBe(await indexDigest(plan, 'late'));
  });

  it('writes the layers started with a layout directory into its draft: the same layout, nothing beside it', async () => {
    const plan = planAt(1);
    const started = builtinEngine.startLayers!(plan, { layoutDir: join(dir, 'drafted', 'layout') });
    expect(await indexDigest(plan, join('drafted', 'layout'), started)).toBe(
      await indexDigest(plan, 'undrafted'),
    );
    expect(await readdir(join(dir, 'drafted'))).toEqual(['layout']);
  });

  it('leaves nothing when the started layers are abandoned', async () => {
    const parent = join(dir, 'abandoned');
    const started = builtinEngine.startLayers!(planAt(1), { layoutDir: join(parent, 'layout') });
    await started.abandon();
    expect(await readdir(parent)).toEqual([]);
  });

  it('ignores started layers that another plan would make (another epoch, files or level)', async () => {
    const early = builtinEngine.startLayers!(planAt(9));
    const plan = planAt(1);
    expect(await indexDigest(plan, 'mismatch', early)).toBe(await indexDigest(plan, 'fresh'));
  });

  it('builds generated files from their text, byte for byte as from a file', async () => {
    const text = 'root:x:0:0:root:/root:/sbin/nologin\n';
    const onDisk = join(dir, 'passwd');
    await writeFile(onDisk, text);
    const withSource = (source: ImagePlan['sharedFiles'][number]['source']) =>
      testPlan(
        [
          {
            platform: parsePlatform('linux/arm64'),
            binary,
            files: [
              { path: 'etc/passwd', mode: 0o644, uid: 0, gid: 0, source },
              { path: 'usr/local/bin/hello', mode: 0o755, uid: 0, gid: 0, source: binary },
            ],
          },
        ],
        { compressionLevel: 1 },
      );
    expect(await indexDigest(withSource({ text }), 'from-text')).toBe(
      await indexDigest(withSource(onDisk), 'from-file'),
    );
  });
});

describe('builtin engine with a deflate piece store', () => {
  /** The folder of this user's packs under a store's root. */
  const userFolder = (root: string) => join(root, String(process.getuid!()));

  /** A store in its own folder that counts the pieces it lends. */
  function countingStore(folder: string) {
    const store = deflatePieceStore(folder);
    const counts = { lent: 0, asked: 0 };
    const counting: DeflatePieceStore = {
      written: () => store.written(),
      open: async (slot) => {
        const opened = await store.open(slot);
        return {
          keep: () => opened.keep(),
          cache: {
            get: (key) => {
              const found = opened.cache.get(key);
              counts.asked++;
              if (found) counts.lent++;
              return found;
            },
            set: (key, bytes) => opened.cache.set(key, bytes),
          },
        };
      },
    };
    return { counting, counts };
  }

  async function build(engine: Engine, plan: ImagePlan, name: string) {
    const result = await engine.build({
      plan,
      base: scratchBase,
      contextDir: dir,
      layoutDir: join(dir, name),
      reporter: quiet,
    });
    return result.indexDigest;
  }

  async function goBinaryPlan(name: string): Promise<{ plan: ImagePlan; path: string }> {
    const { stdout: goroot } = await execa('go', ['env', 'GOROOT']);
    const path = join(dir, name);
    await copyFile(join(goroot, 'bin', 'gofmt'), path);
    const files = [{ path: 'usr/local/bin/app', mode: 0o755, uid: 0, gid: 0, source: path }];
    const plan = testPlan([{ platform: parsePlatform('linux/arm64'), binary: path, files }], {
      compressionLevel: 1,
    });
    return { plan, path };
  }

  it('reuses the pieces of the last build of a binary and writes the images a fresh build writes', async () => {
    const folder = join(dir, 'pieces-reuse');
    const { counting, counts } = countingStore(folder);
    const engine = createBuiltinEngine({ deflatePieces: counting });
    const { plan, path } = await goBinaryPlan('reused-app');
    expect(await build(engine, plan, 'pieces-1')).toBe(await build(builtinEngine, plan, 'plain-1'));
    expect(counts.lent).toBe(0);
    expect((await readdir(userFolder(folder))).filter((n) => n.endsWith('.pieces'))).toHaveLength(
      1,
    );

    // A one-line edit's worth: 40 bytes in the middle of the binary.
    const bytes = await readFile(path);
    bytes.set(randomBytes(40), Math.floor(bytes.byteLength / 2));
    await writeFile(path, bytes);
    expect(await build(engine, plan, 'pieces-2')).toBe(await build(builtinEngine, plan, 'plain-2'));
    expect(counts.lent).toBeGreaterThan(10);
  });

  it('lends no piece of a pack that was damaged there, and still writes the same images', async () => {
    const folder = join(dir, 'pieces-damaged');
    const { counting, counts } = countingStore(folder);
    const engine = createBuiltinEngine({ deflatePieces: counting });
    const { plan } = await goBinaryPlan('damaged-app');
    const first = await build(engine, plan, 'damaged-1');
    const [pack] = await readdir(userFolder(folder));
    const bytes = await readFile(join(userFolder(folder), pack!));
    bytes[bytes.byteLength - 100]! ^= 0xff; // in the last piece's deflate bytes
    await writeFile(join(userFolder(folder), pack!), bytes);
    Object.assign(counts, { lent: 0, asked: 0 });
    expect(await build(engine, plan, 'damaged-2')).toBe(first);
    expect(counts.asked).toBeGreaterThan(10);
    expect(counts.lent).toBe(counts.asked - 1);
    // The damaged piece was compressed again and the pack replaced by a good one.
    Object.assign(counts, { lent: 0, asked: 0 });
    expect(await build(engine, plan, 'damaged-3')).toBe(first);
    expect(counts.lent).toBe(counts.asked);
  });

  it('neither reads nor writes packs in a folder others may write to', async () => {
    const root = join(dir, 'pieces-shared');
    await mkdir(userFolder(root), { recursive: true });
    await chmod(userFolder(root), 0o777);
    const { counting, counts } = countingStore(root);
    const engine = createBuiltinEngine({ deflatePieces: counting });
    const { plan } = await goBinaryPlan('shared-app');
    const first = await build(engine, plan, 'shared-1');
    expect(await build(engine, plan, 'shared-2')).toBe(first);
    expect(counts.lent).toBe(0);
    expect(await readdir(userFolder(root))).toEqual([]);
  });

  it(`keeps the packs of the ${KEPT_PACKS} slots written last`, async () => {
    const root = join(dir, 'pieces-pruned');
    const folder = userFolder(root);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const old = new Date('2020-01-01T00:00:00Z');
    for (let i = 0; i < KEPT_PACKS + 2; i++) {
      const file = join(folder, `old-${String(i).padStart(3, '0')}.pieces`);
      await writeFile(file, 'x');
      await utimes(file, old, new Date(old.getTime() + i * 1000));
    }
    const engine = createBuiltinEngine({ deflatePieces: deflatePieceStore(root) });
    await build(engine, (await goBinaryPlan('new-slot-app')).plan, 'pruned');
    const left = (await readdir(folder)).filter((n) => n.endsWith('.pieces'));
    expect(left).toHaveLength(KEPT_PACKS);
    expect(left).not.toContain('old-000.pieces');
    expect(left).not.toContain('old-001.pieces');
    expect(left).not.toContain('old-002.pieces');
  });
});
