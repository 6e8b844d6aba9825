import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzip, sha256Digest } from '@crossdock/oci';
import { readOciLayout } from '@crossdock/oci-layout';
import { parsePlatform } from '@crossdock/platform';
import { scratchBase } from '../../src/image/base/scratch-base';
import { builtinEngine } from '../../src/image/engines/builtin-engine';
import type { StartedLayers } from '../../src/image/engines/engine';
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
    expect(started.size).toBe(1);
    expect(await indexDigest(plan, 'early', started)).toBe(await indexDigest(plan, 'late'));
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
