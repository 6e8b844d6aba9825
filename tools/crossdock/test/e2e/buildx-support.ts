import { join } from 'node:path';
import { execa } from 'execa';
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

/** Empties the test builder's build cache, keeping cache mounts (the hermetic Go build cache). */
export async function pruneBuilder(): Promise<void> {
  const prune = await buildx(['prune', '--force', '--all', '--filter', 'type!=exec.cachemount']);
  if (prune.exitCode !== 0) throw new Error(`docker buildx prune failed: ${prune.all}`);
}

/** Every platform's image of hello's layout in a workspace, described, with the index digest. */
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
    })),
  );
  return { digest: index.digest, images };
}

/** What describeLayout returns. */
export type Described = Awaited<ReturnType<typeof describeLayout>>;
