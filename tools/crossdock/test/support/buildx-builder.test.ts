import { describe, expect, it } from 'vitest';
import { formatPlatform, parsePlatform } from '@crossdock/platform';
import {
  builderBuildKitVersion,
  builderPlatforms,
  builderProblem,
  missingPlatforms,
  parseBuildxInspect,
} from '../../src/support/docker/buildx-builder';
import type { DockerCli } from '../../src/support/docker/docker-cli';
import { buildxOciArgs } from '../../src/image/engines/docker-build';
import { buildxOptions } from '../../src/image/engines/buildx-options';
import type { ImagePlan } from '../../src/image/plan';

// `docker buildx inspect --bootstrap` of buildx v0.38.2 on a remote builder (buildkitd v0.34.2).
const REMOTE = `Name:          crossdock-remote
Driver:        remote
Last Activity: 2026-12-06 11:50:00 +0000 UTC

Nodes:
Name:             crossdock-remote0
Endpoint:         unix:///run/crossdock-buildkit/buildkitd.sock
Status:           running
BuildKit version: v0.34.2
Platforms:        linux/amd64, linux/amd64/v2, linux/386, linux/arm64, linux/riscv64, linux/ppc64le, linux/s390x, linux/arm/v7, linux/arm/v6
Labels:
 org.mobyproject.buildkit.worker.executor: oci
`;

// A builder farm: one node per architecture, the arm64 one down.
const FARM = `Name:   farm
Driver: remote

Nodes:
Name:             amd
Endpoint:         tcp://amd:1234
Status:           running
BuildKit version: v0.34.2
Platforms:        linux/amd64*, linux/386

Name:             arm
Endpoint:         tcp://arm:1234
Error:            Get "http://arm:1234": connection refused
Status:           inactive
Platforms:        linux/arm64*
`;

const platforms = (...names: string[]) => names.map(parsePlatform);

describe('docker buildx inspect', () => {
  it('reads the builder, its nodes, their status, BuildKit version and platforms', () => {
    const builder = parseBuildxInspect(REMOTE);
    expect(builder).toMatchObject({ name: 'crossdock-remote', driver: 'remote' });
    expect(builder.nodes).toEqual([
      expect.objectContaining({
        name: 'crossdock-remote0',
        endpoint: 'unix:///run/crossdock-buildkit/buildkitd.sock',
        status: 'running',
        buildkitVersion: 'v0.34.2',
      }),
    ]);
    expect(builderBuildKitVersion(builder)).toBe('v0.34.2');
    expect(builderPlatforms(builder).map(formatPlatform)).toEqual(
      expect.arrayContaining(['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/riscv64']),
    );
    expect(
      missingPlatforms(builder, platforms('linux/amd64', 'linux/arm/v7', 'linux/s390x')),
    ).toEqual([]);
    expect(builderProblem(builder, 'crossdock-remote', undefined)).toBeUndefined();
  });

  it('counts only the nodes that answer: the farm has no linux/arm64', () => {
    const builder = parseBuildxInspect(FARM);
    expect(builder.nodes.map((n) => [n.name, n.status])).toEqual([
      ['amd', 'running'],
      ['arm', 'inactive'],
    ]);
    expect(builder.nodes[1]?.error).toMatch(/connection refused/);
    expect(builderPlatforms(builder).map(formatPlatform)).toEqual(['linux/amd64', 'linux/386']);
    expect(
      missingPlatforms(builder, platforms('linux/amd64', 'linux/arm64')).map(formatPlatform),
    ).toEqual(['linux/arm64']);
  });

  it('a builder none of whose nodes answers is a problem, with the error buildx printed', () => {
    const down = parseBuildxInspect(FARM.replace('Status:           running', 'Status: inactive'));
    expect(builderProblem(down, undefined, undefined)).toMatch(
      /^buildx builder "farm" \(driver remote\) does not answer: amd at tcp:\/\/amd:1234: inactive; arm at tcp:\/\/arm:1234: inactive \(Get .*connection refused\); start its BuildKit/,
    );
    expect(builderProblem(parseBuildxInspect(''), 'gone', 'ERROR: no builder "gone" found')).toBe(
      'buildx builder "gone" does not answer: ERROR: no builder "gone" found; start its BuildKit or fix the endpoint (docker buildx inspect --bootstrap gone), or choose another builder with BUILDX_BUILDER',
    );
  });

  it('the docker driver is a problem only when BUILDX_BUILDER names it', () => {
    const docker = parseBuildxInspect(
      'Name: default\nDriver: docker\n\nNodes:\nName: default\nStatus: running\nPlatforms: linux/amd64\n',
    );
    expect(builderProblem(docker, undefined, undefined)).toBeUndefined();
    expect(builderProblem(docker, 'default', undefined)).toMatch(
      /^buildx builder "default" \(BUILDX_BUILDER\) uses the docker driver, which cannot export an OCI layout/,
    );
  });
});

describe('the buildx OCI build of a plan', () => {
  const cli = (buildkitVersion?: string): DockerCli => ({
    program: 'docker',
    clientVersion: '28.2.2',
    serverVersion: '20.10.24',
    path: 'buildx-oci',
    env: {},
    notes: [],
    buildx: {
      version: '0.38.2',
      builder: 'farm',
      driver: 'remote',
      attestationFlags: true,
      nodes: parseBuildxInspect(FARM).nodes,
      ...(buildkitVersion ? { buildkitVersion } : {}),
    },
  });
  const plan = (...names: string[]) =>
    ({
      project: 'hello',
      epoch: 1700000000,
      platforms: platforms(...names).map((platform) => ({ platform })),
    }) as unknown as ImagePlan;

  it('pins the builder, sets SOURCE_DATE_EPOCH to the plan epoch, and clamps file times on BuildKit 0.13+', () => {
    const options = buildxOptions(plan('linux/amd64'), cli('v0.34.2'));
    expect(options.build).toEqual({
      builder: 'farm',
      sourceDateEpoch: 1700000000,
      rewriteTimestamp: true,
    });
    expect(options.summary).toBe(
      "buildx: SOURCE_DATE_EPOCH=1700000000 for created and history, rewrite-timestamp=true clamps the new layers' file times (BuildKit v0.34.2)",
    );
    expect(
      buildxOciArgs({
        platforms: platforms('linux/amd64'),
        contextDir: '/c',
        dest: '/d/oci.tar',
        attestationFlags: true,
        ...options.build,
      }),
    ).toEqual([
      'buildx',
      'build',
      '--platform',
      'linux/amd64',
      '--progress=plain',
      '--file',
      '/c/Dockerfile',
      '--builder',
      'farm',
      '--provenance=false',
      '--sbom=false',
      '--build-arg',
      'SOURCE_DATE_EPOCH=1700000000',
      '--output',
      'type=oci,dest=/d/oci.tar,rewrite-timestamp=true',
      '/c',
    ]);
    expect(buildxOptions(plan('linux/amd64'), cli('v0.12.5')).build.rewriteTimestamp).toBe(false);
  });

  it('refuses a platform no answering node lists, before building, naming what the builder has', () => {
    expect(() => buildxOptions(plan('linux/amd64', 'linux/arm64'), cli('v0.34.2'))).toThrow(
      /^hello: buildx builder "farm" \(driver remote\) cannot build linux\/arm64: its nodes list linux\/amd64, linux\/386\. Add a node for it \(docker buildx create --append --name farm --platform linux\/arm64 <endpoint>\)/,
    );
  });
});
