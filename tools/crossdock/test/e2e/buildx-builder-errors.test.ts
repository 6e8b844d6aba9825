import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlatform } from '@crossdock/platform';
import { BuildxBuilderError } from '../../src/support/docker/buildx-builder';
import { detectDockerCli } from '../../src/support/docker/docker-cli';
import { buildxOptions } from '../../src/image/engines/buildx-options';
import type { ImagePlan } from '../../src/image/plan';
import { processRunner } from '../../src/support/process/runner';
import { buildxBuilderAvailable, TEST_BUILDX } from '../../../../libs/test-support/src/test-buildx';
import { dockerGate } from './docker-gate';

// Bad builders, with the real docker CLI, buildx and buildkitd: each is refused with one line
// before anything is built. Each case has a docker config directory of its own (buildx as a
// plugin, its own builders), so nothing else on the machine changes.
const SUITE = 'buildx builders crossdock refuses';
const gate = dockerGate(SUITE, []);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);
const ready = gate.ok && buildxBuilderAvailable(SUITE);

const hello = {
  project: 'hello',
  epoch: 0,
  platforms: ['linux/amd64', 'linux/mips64le'].map((p) => ({ platform: parsePlatform(p) })),
} as unknown as ImagePlan;

describe.skipIf(!ready && !gate.ci)(SUITE, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'crossdock-buildx-errors-'));
  const config = join(scratch, 'docker-config');

  /** `docker buildx …` in the private config directory. */
  const buildx = (args: readonly string[]) =>
    execa('docker', ['buildx', ...args], { env: { DOCKER_CONFIG: config }, all: true });
  /** What the docker engine finds, with BUILDX_BUILDER naming `builder`. */
  const detect = (builder: string) => {
    process.env['DOCKER_CONFIG'] = config;
    return detectDockerCli(processRunner, ['docker'], { BUILDX_BUILDER: builder }).finally(() => {
      delete process.env['DOCKER_CONFIG'];
    });
  };

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    mkdirSync(join(config, 'cli-plugins'), { recursive: true });
    symlinkSync(
      join(TEST_BUILDX.dockerConfig, 'cli-plugins/docker-buildx'),
      join(config, 'cli-plugins/docker-buildx'),
    );
    // A second builder on the test BuildKit, as a user would create one.
    await buildx(['create', '--name', 'farm', '--driver', 'remote', TEST_BUILDX.socket]);
    await buildx([
      'create',
      '--name',
      'nobody-home',
      '--driver',
      'remote',
      `unix://${join(scratch, 'no-buildkitd-here.sock')}`,
    ]);
  }, 120_000);
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('a builder that does not answer', async () => {
    const error = await detect('nobody-home').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildxBuilderError);
    expect((error as Error).message).toMatch(
      /^buildx builder "nobody-home" \(driver remote\) does not answer: ERROR: .* \[nobody-home0 at unix:\/\/.*no-buildkitd-here\.sock: inactive\]; start its BuildKit or fix the endpoint \(docker buildx inspect --bootstrap nobody-home\)/,
    );
    expect((error as Error).message).not.toContain('\n');
  });

  it('a builder without one of the platforms (this BuildKit lists no linux/mips64le)', async () => {
    const cli = await detect('farm');
    expect(cli).toMatchObject({
      path: 'buildx-oci',
      buildx: { builder: 'farm', driver: 'remote', buildkitVersion: 'v0.34.2' },
    });
    expect(() => buildxOptions(hello, cli)).toThrow(
      /^hello: buildx builder "farm" \(driver remote\) cannot build linux\/mips64le: its nodes list linux\/amd64, .*linux\/arm64.*\. Add a node for it \(docker buildx create --append --name farm --platform linux\/mips64le <endpoint>\)/,
    );
  });

  it('a builder whose driver cannot export OCI (the docker driver, named by BUILDX_BUILDER)', async () => {
    const error = await detect('default').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildxBuilderError);
    expect((error as Error).message).toMatch(
      /^buildx builder "default" \(BUILDX_BUILDER\) uses the docker driver, which cannot export an OCI layout or build several platforms in one build; point BUILDX_BUILDER at a docker-container, kubernetes, remote builder/,
    );
  });
});
