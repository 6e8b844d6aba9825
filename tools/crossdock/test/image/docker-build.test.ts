import { describe, expect, it } from 'vitest';
import { parsePlatform } from '@crossdock/platform';
import { saveArgs } from '../../src/support/docker/docker-archives';
import {
  buildKitEnvArgs,
  buildxLoadArgs,
  buildxOciArgs,
  removeTagsArgs,
  temporaryTag,
} from '../../src/image/engines/docker-build';

const armV7 = parsePlatform('linux/arm/v7');
const single = {
  platform: armV7,
  contextDir: '/w/dist/context/hello',
  tag: 'crossdock-tmp/hello:linux-arm-v7-ab12',
  iidFile: '/tmp/x/linux-arm-v7.iid',
};

describe('docker command lines', () => {
  it('one platform with a 20.10 CLI (run with DOCKER_BUILDKIT=1)', () => {
    expect(buildKitEnvArgs(single)).toEqual([
      'build',
      '--platform',
      'linux/arm/v7',
      '--progress=plain',
      '--file',
      '/w/dist/context/hello/Dockerfile',
      '--tag',
      'crossdock-tmp/hello:linux-arm-v7-ab12',
      '--iidfile',
      '/tmp/x/linux-arm-v7.iid',
      '/w/dist/context/hello',
    ]);
  });

  it('one platform with buildx and the docker driver: --load, attestations off when buildx would add them', () => {
    expect(buildxLoadArgs({ ...single, attestationFlags: true })).toEqual([
      'buildx',
      'build',
      '--platform',
      'linux/arm/v7',
      '--progress=plain',
      '--file',
      '/w/dist/context/hello/Dockerfile',
      '--provenance=false',
      '--sbom=false',
      '--load',
      '--tag',
      'crossdock-tmp/hello:linux-arm-v7-ab12',
      '--iidfile',
      '/tmp/x/linux-arm-v7.iid',
      '/w/dist/context/hello',
    ]);
    expect(buildxLoadArgs({ ...single, attestationFlags: false })).not.toContain(
      '--provenance=false',
    );
  });

  it('every platform in one buildx build, as an OCI layout tar', () => {
    const platforms = ['linux/amd64', 'linux/arm64', 'arm', 'linux/riscv64'].map(parsePlatform);
    expect(
      buildxOciArgs({
        platforms,
        contextDir: '/w/ctx',
        dest: '/tmp/x/oci.tar',
        attestationFlags: true,
      }),
    ).toEqual([
      'buildx',
      'build',
      '--platform',
      'linux/amd64,linux/arm64,linux/arm/v7,linux/riscv64',
      '--progress=plain',
      '--file',
      '/w/ctx/Dockerfile',
      '--provenance=false',
      '--sbom=false',
      '--output',
      'type=oci,dest=/tmp/x/oci.tar',
      '/w/ctx',
    ]);
    expect(
      buildxOciArgs({ platforms, contextDir: '/w/ctx', dest: '/d', attestationFlags: false }),
    ).toEqual([
      'buildx',
      'build',
      '--platform',
      'linux/amd64,linux/arm64,linux/arm/v7,linux/riscv64',
      '--progress=plain',
      '--file',
      '/w/ctx/Dockerfile',
      '--output',
      'type=oci,dest=/d',
      '/w/ctx',
    ]);
  });

  it('docker save of every tag into one archive, and docker rmi of the tags', () => {
    expect(saveArgs(['a:1', 'b:2'], '/tmp/x/images.tar')).toEqual([
      'save',
      '--output',
      '/tmp/x/images.tar',
      'a:1',
      'b:2',
    ]);
    expect(removeTagsArgs(['a:1', 'b:2'])).toEqual(['rmi', 'a:1', 'b:2']);
  });

  it.each([
    ['hello', 'crossdock-tmp/hello:linux-arm-v7-ab12'],
    ['My_App', 'crossdock-tmp/my-app:linux-arm-v7-ab12'],
    ['a..b', 'crossdock-tmp/a-b:linux-arm-v7-ab12'],
    ['__', 'crossdock-tmp/project:linux-arm-v7-ab12'],
  ])('the temporary tag of project %j is a valid reference: %s', (project, tag) => {
    expect(temporaryTag(project, armV7, 'ab12')).toBe(tag);
  });
});
