// The base both tools of the ko comparison build on: one small file in one layer, for every
// platform of the app, as a multi-platform index in the local registry (ko reads its base
// only from a registry).
import { buildLayer, imageFromParts, indexFromImages } from '@crossdock/oci';
import { createRegistryClient, writeIndex } from '@crossdock/registry';
import { formatPlatform, parsePlatform } from '@crossdock/platform';

/** Pushes the base for `platforms` to `<registry>/<repository>:latest` and returns that reference. */
export async function pushOneFileBase(
  registry: string,
  repository: string,
  platforms: readonly string[],
): Promise<string> {
  const images = await Promise.all(
    platforms.map(async (input) => {
      const platform = parsePlatform(input);
      const layer = await buildLayer(
        [
          {
            path: 'etc/base-release',
            type: 'file',
            mode: 0o644,
            uid: 0,
            gid: 0,
            content: Buffer.from(`one-file base for ${formatPlatform(platform)}\n`),
          },
        ],
        { mtime: 0 },
      );
      return imageFromParts({
        config: {
          architecture: platform.architecture,
          os: platform.os,
          ...(platform.variant ? { variant: platform.variant } : {}),
          config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin'] },
        },
        layers: [layer],
      });
    }),
  );
  const client = createRegistryClient({ registry });
  await writeIndex({ client, repository }, indexFromImages(images), ['latest']);
  return `${registry}/${repository}:latest`;
}
