import {
  EPOCH,
  type Image,
  type ImageIndex,
  type OciPlatform,
  buildLayer,
  emptyImage,
  indexFromImages,
  withConfig,
  withLayer,
} from '@crossdock/oci';
import { type GoTarget, buildGoHello } from '../../test-support/src/go-hello';

/** The three platforms the layout tests build, as OCI platforms and Go targets. */
export const PLATFORMS: readonly { readonly oci: OciPlatform; readonly go: GoTarget }[] = [
  { oci: { os: 'linux', architecture: 'amd64' }, go: { os: 'linux', arch: 'amd64' } },
  { oci: { os: 'linux', architecture: 'arm64' }, go: { os: 'linux', arch: 'arm64' } },
  {
    oci: { os: 'linux', architecture: 'arm', variant: 'v7' },
    go: { os: 'linux', arch: 'arm', arm: '7' },
  },
];

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** An image as crossdock's builtin engine makes it: passwd/group, the binary, user 65532, entrypoint. */
export async function helloImage(platform: OciPlatform, binary: string): Promise<Image> {
  const layer = await buildLayer(
    [
      {
        path: 'etc/passwd',
        type: 'file',
        mode: 0o644,
        uid: 0,
        gid: 0,
        content: text(
          'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n',
        ),
      },
      {
        path: 'etc/group',
        type: 'file',
        mode: 0o644,
        uid: 0,
        gid: 0,
        content: text('root:x:0:\nnonroot:x:65532:\n'),
      },
      { path: 'home/nonroot', type: 'dir', mode: 0o755, uid: 65532, gid: 65532 },
      {
        path: 'usr/local/bin/hello',
        type: 'file',
        mode: 0o755,
        uid: 0,
        gid: 0,
        content: { path: binary },
      },
    ],
    { mtime: 0 },
  );
  const image = withLayer(withConfig(emptyImage(platform), { created: EPOCH }), layer, {
    created: EPOCH,
    created_by: 'crossdock: COPY hello',
  });
  return withConfig(image, {
    config: {
      User: '65532:65532',
      Entrypoint: ['/usr/local/bin/hello'],
      Env: ['PATH=/usr/local/bin:/usr/bin:/bin'],
    },
  });
}

/** Cross-compiles the hello program for {@link PLATFORMS} under `dir` and indexes one image per platform. */
export async function helloIndex(dir: string): Promise<ImageIndex> {
  const binaries = await buildGoHello(
    dir,
    PLATFORMS.map((p) => p.go),
  );
  const images = await Promise.all(PLATFORMS.map((p, i) => helloImage(p.oci, binaries[i] ?? '')));
  return indexFromImages(images);
}
