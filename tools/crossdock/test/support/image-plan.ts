import type { ImagePlan, PlatformPlan } from '../../src/image/plan';

/**
 * A plan for engine tests: project hello on scratch, entrypoint /usr/local/bin/hello as
 * 65532:65532, epoch 0, gzip level 1, with the given platforms and annotations.
 */
export function testPlan(
  platforms: readonly PlatformPlan[],
  options: { annotations?: Record<string, string>; compressionLevel?: number } = {},
): ImagePlan {
  return {
    project: 'hello',
    base: 'scratch',
    binaryName: 'hello',
    platforms,
    sharedFiles: [],
    config: {
      entrypoint: ['/usr/local/bin/hello'],
      cmd: [],
      user: '65532:65532',
      workdir: '/',
      env: {},
      labels: {},
      exposedPorts: [],
    },
    epoch: 0,
    compressionLevel: options.compressionLevel ?? 1,
    annotations: options.annotations ?? { 'org.opencontainers.image.title': 'hello' },
  };
}
