import { join } from 'node:path';
import { execa } from 'execa';
import { readTar } from '@crossdock/oci';
import { readOciLayout } from '@crossdock/oci-layout';
import { formatPlatform, type Platform } from '@crossdock/platform';
import { describeImage } from '../../src/image/engines/compare-images';
import { TEST_BUILDX } from '../../../../libs/test-support/src/test-buildx';

/** The environment that selects the test builder (its DOCKER_CONFIG and BUILDX_BUILDER). */
export const BUILDX = TEST_BUILDX.env;

/** `docker buildx …` on the test builder, as a user with that builder would run it. */
export function buildx(args: readonly string[], cwd?: string) {
  return execa('docker', ['buildx', ...args], {
    env: BUILDX,
    reject: false,
    all: true,
    ...(cwd ? { cwd } : {}),
  });
}

/** Every platform's image of hello's layout in a workspace, described, with the index digest and every time its layers' entries carry. */
export async function describeLayout(root: string) {
  const dir = join(root, 'dist/images/hello');
  const index = await (await readOciLayout(dir)).resolveIndex('latest');
  const images = await Promise.all(
    index.images.map(async (image, i) => ({
      platform: formatPlatform(index.manifests[i]!.platform as Platform),
      description: await describeImage(image),
      config: image.manifest.config.digest,
      layers: image.manifest.layers.map((l) => l.digest),
      diffIds: image.layers.map((l) => l.diffId),
      mtimes: await layerTimes(image.layers),
    })),
  );
  return { digest: index.digest, images };
}

/** The distinct modification times of the entries of these layers, sorted. */
async function layerTimes(layers: readonly { openUncompressed(): Promise<Uint8Array> }[]) {
  const times = new Set<number>();
  for (const layer of layers)
    for (const entry of await readTar(await layer.openUncompressed())) times.add(entry.mtime);
  return [...times].sort((a, b) => a - b);
}

/** What describeLayout returns. */
export type Described = Awaited<ReturnType<typeof describeLayout>>;
