import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlatform } from '@crossdock/platform';
import { BuildxBuilderError } from '../../src/docker/buildx-builder';
import { detectDockerCli } from '../../src/docker/docker-cli';
import { buildxOptions } from '../../src/engines/buildx-options';
import type { ImagePlan } from '../../src/plan';
import { execaRunner } from '../../src/process/runner';
import { buildxBuilderAvailable, TEST_BUILDX } from '../../../../libs/test-support/src/test-buildx';
import { dockerGate } from './docker-gate';

// Bad builders, with the real docker CLI, buildx and buildkitd: each is refused with one line
// before anything is built. Each case has a docker config directory of its own (buildx as a
// plugin, its own builders), so nothing else on the machine changes.
const SUITE = 'buildx builders crossdock refuses';
const BUILDKITD = '/var/cache/crossdock/buildkit-v0.34.2/buildkitd';
const gate = dockerGate(SUITE, []);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);
const ready = gate.ok && buildxBuilderAvailable(SUITE);

const hello = {
  project: 'hello',
  epoch: 0,
  platforms: ['linux/amd64', 'linux/arm64'].map((p) => ({ platform: parsePlatform(p) })),
} as unknown as ImagePlan;

describe.skipIf(!ready && !gate.ci)(SUITE, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'crossdock-buildx-errors-'));
  const config = join(scratch, 'docker-config');
  let amd64Only: ChildProcess | undefined;

  /** `docker buildx …` in the private config directory. */
  const buildx = (args: readonly string[]) =>
    execa('docker', ['buildx', ...args], { env: { DOCKER_CONFIG: config }, all: true });
  /** What the docker engine finds, with BUILDX_BUILDER naming `builder`. */
  const detect = (builder: string) => {
    process.env['DOCKER_CONFIG'] = config;
    return detectDockerCli(execaRunner, ['docker'], { BUILDX_BUILDER: builder }).finally(() => {
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
    // A BuildKit that says it builds linux/amd64 only (as one without emulators would).
    const socket = join(scratch, 'amd64.sock');
    amd64Only = spawn(
      BUILDKITD,
      [
        '--root',
        join(scratch, 'amd64-root'),
        '--addr',
        `unix://${socket}`,
        '--oci-worker-platform',
        'linux/amd64',
        '--containerd-worker=false',
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 60 && !existsSync(socket); i++)
      await new Promise((resolve) => setTimeout(resolve, 500));
    await buildx(['create', '--name', 'amd64-only', '--driver', 'remote', `unix://${socket}`]);
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
    amd64Only?.kill('SIGTERM');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('a builder that does not answer', async () => {
    const error = await detect('nobody-home').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildxBuilderError);
    expect((error as Error).message).toMatch(
      /^buildx builder "nobody-home" \(driver remote\) does not answer: .*no-buildkitd-here\.sock.*; start its BuildKit or fix the endpoint \(docker buildx inspect --bootstrap nobody-home\)/,
    );
    expect((error as Error).message).not.toContain('\n');
  });

  it('a builder without one of the platforms', async () => {
    const cli = await detect('amd64-only');
    expect(cli).toMatchObject({ path: 'buildx-oci', buildx: { driver: 'remote' } });
    expect(() => buildxOptions(hello, cli)).toThrow(
      /^hello: buildx builder "amd64-only" \(driver remote\) cannot build linux\/arm64: its nodes list linux\/amd64\. Add a node for it/,
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
