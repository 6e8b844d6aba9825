import { describe, expect, it } from 'vitest';
import {
  describeDockerCli,
  detectDockerCli,
  DockerUnavailableError,
  findDockerClient,
} from '../../src/support/docker/docker-cli';
import {
  parseBuildxVersion,
  parseDockerVersion,
  supportsBuildKitEnv,
  versionAtLeast,
} from '../../src/support/docker/docker-version';
import { scriptedRunner } from './scripted-runner';

/** `docker version --format '{{json .}}'` output of a CLI, with or without a daemon. */
function versionJson(client: string, server?: string, commit = `c-${client}`): string {
  return JSON.stringify({
    Client: { Version: client, GitCommit: commit, BuildTime: 't' },
    Server: server ? { Version: server } : null,
  });
}

const VERSION = 'version --format {{json .}}';
const PROBE_BUILD = 'build --quiet --output type=tar,dest=/dev/null -';

describe('docker version parsing', () => {
  it('reads client and server versions, and a missing daemon', () => {
    expect(parseDockerVersion(versionJson('20.10.24+dfsg1', '20.10.24+dfsg1'))).toMatchObject({
      client: '20.10.24+dfsg1',
      server: '20.10.24+dfsg1',
    });
    const down = parseDockerVersion(`${versionJson('28.2.2')}\n`);
    expect(down.client).toBe('28.2.2');
    expect(down.server).toBeUndefined();
    expect(parseDockerVersion('garbage')).toEqual({ clientIdentity: '' });
  });

  it.each([
    ['github.com/docker/buildx v0.11.2 9872040', '0.11.2'],
    ['github.com/docker/buildx v0.12.1-desktop.4 6cd5d8f', '0.12.1-desktop.4'],
    ['github.com/docker/buildx 0.13.1+ds1-3 0.13.1+ds1-3', '0.13.1+ds1-3'],
  ])('buildx version of %j is %s', (stdout, version) => {
    expect(parseBuildxVersion(stdout)).toBe(version);
  });

  it.each([
    ['17.06.2', false],
    ['18.09.0', true],
    ['20.10.24+dfsg1', true],
    ['22.06.0-beta.0', true],
    ['23.0.0', false],
    ['28.2.2', false],
  ])('a %s CLI runs BuildKit with DOCKER_BUILDKIT=1: %s', (version, expected) => {
    expect(supportsBuildKitEnv(version)).toBe(expected);
  });

  it.each([
    ['0.10.0', [0, 10], true],
    ['0.9.1', [0, 10], false],
    ['v0.11.2', [0, 10], true],
    ['1.0', [0, 10], true],
    ['nonsense', [0, 1], false],
  ] as const)('versionAtLeast(%s, %j) is %s', (version, minimum, expected) => {
    expect(versionAtLeast(version, minimum)).toBe(expected);
  });
});

describe('detectDockerCli', () => {
  it('prefers buildx with a container builder: one multi-platform OCI build, attestations off for buildx 0.10+', async () => {
    const runner = scriptedRunner({
      [`docker ${VERSION}`]: { stdout: versionJson('24.0.7', '24.0.7') },
      [`/usr/bin/docker ${VERSION}`]: 'missing',
      'docker buildx version': { stdout: 'github.com/docker/buildx v0.11.2 9872040\n' },
      'docker buildx inspect --bootstrap': {
        stdout:
          'Name:   ci\nDriver: docker-container\n\nNodes:\nName:   ci0\nEndpoint: unix:///var/run/docker.sock\nStatus: running\nBuildKit version: v0.12.5\nPlatforms: linux/amd64, linux/arm64\n',
      },
    });
    const cli = await detectDockerCli(runner, ['docker', '/usr/bin/docker'], {});
    expect(cli).toMatchObject({
      program: 'docker',
      path: 'buildx-oci',
      env: {},
      buildx: { version: '0.11.2', driver: 'docker-container', attestationFlags: true },
    });
    expect(cli.notes).toEqual(['/usr/bin/docker: not found']);
    expect(describeDockerCli(cli)).toBe(
      'docker 24.0.7 (daemon 24.0.7), docker buildx 0.11.2 (builder "ci", driver docker-container, BuildKit v0.12.5): one multi-platform build, OCI output',
    );
  });

  it('with the docker driver, builds one platform at a time with --load and says why', async () => {
    const runner = scriptedRunner({
      [`docker ${VERSION}`]: { stdout: versionJson('24.0.7', '24.0.7') },
      'docker buildx version': { stdout: 'github.com/docker/buildx v0.9.1 ed00243\n' },
      'docker buildx inspect --bootstrap': {
        stdout:
          'Name:   default\nDriver: docker\n\nNodes:\nName:   default\nEndpoint: default\nStatus: running\nPlatforms: linux/amd64\n',
      },
    });
    const cli = await detectDockerCli(runner, ['docker'], {});
    expect(cli).toMatchObject({
      path: 'buildx-load',
      buildx: { driver: 'docker', attestationFlags: false },
    });
    expect(cli.notes.join('\n')).toMatch(/docker driver, which cannot export OCI/);
  });

  it("as on this machine: a 28.x CLI without buildx first on PATH, then Debian's 20.10 whose DOCKER_BUILDKIT=1 probe build works", async () => {
    const runner = scriptedRunner({
      [`docker ${VERSION}`]: { stdout: versionJson('28.2.2', '20.10.24+dfsg1') },
      [`/usr/bin/docker ${VERSION}`]: { stdout: versionJson('20.10.24+dfsg1', '20.10.24+dfsg1') },
      // The same binary under another name is probed once.
      [`/bin/docker ${VERSION}`]: { stdout: versionJson('20.10.24+dfsg1', '20.10.24+dfsg1') },
      'docker buildx version': {
        exitCode: 1,
        stderr:
          "docker: unknown command: docker buildx\n\nRun 'docker --help' for more information\n",
      },
      '/usr/bin/docker buildx version': {
        exitCode: 1,
        stderr: "docker: 'buildx' is not a docker command.\nSee 'docker --help'\n",
      },
      [`/usr/bin/docker ${PROBE_BUILD}`]: { stdout: 'sha256:1a0e\n' },
    });
    const cli = await detectDockerCli(runner, ['docker', '/usr/bin/docker', '/bin/docker']);
    expect(cli).toMatchObject({
      program: '/usr/bin/docker',
      clientVersion: '20.10.24+dfsg1',
      path: 'buildkit-env',
      env: { DOCKER_BUILDKIT: '1' },
    });
    expect(cli.notes).toEqual([
      'docker 28.2.2: no buildx (docker: unknown command: docker buildx)',
      "/usr/bin/docker 20.10.24+dfsg1: no buildx (docker: 'buildx' is not a docker command.)",
      'docker 28.2.2: a 23+ CLI runs BuildKit only through buildx',
    ]);
    const probe = runner.calls.find((c) => c.line === `/usr/bin/docker ${PROBE_BUILD}`);
    expect(probe?.options).toMatchObject({
      env: { DOCKER_BUILDKIT: '1' },
      input: 'FROM scratch\n',
      allowFailure: true,
    });
    expect(runner.calls.filter((c) => c.line.startsWith('/bin/docker'))).toHaveLength(1);
  });

  it('never assumes: a 20.10 CLI whose probe build fails is not used', async () => {
    const runner = scriptedRunner({
      [`/usr/bin/docker ${VERSION}`]: { stdout: versionJson('20.10.5', '20.10.5') },
      '/usr/bin/docker buildx version': {
        exitCode: 1,
        stderr: "docker: 'buildx' is not a docker command.\n",
      },
      [`/usr/bin/docker ${PROBE_BUILD}`]: {
        exitCode: 1,
        stderr: 'failed to dial gRPC: cannot connect to the Docker daemon\n',
      },
    });
    const error = await detectDockerCli(runner, ['/usr/bin/docker']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerUnavailableError);
    expect((error as Error).message).toContain(
      '/usr/bin/docker 20.10.5: DOCKER_BUILDKIT=1 docker build failed (failed to dial gRPC',
    );
    expect((error as Error).message).toMatch(
      /Fix: install docker buildx, or use a Docker 20.10-era CLI .*engine: builtin/s,
    );
  });

  it('names every candidate when none has a daemon', async () => {
    const runner = scriptedRunner({
      [`docker ${VERSION}`]: {
        exitCode: 1,
        stdout: versionJson('28.2.2'),
        stderr:
          'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
      },
      [`/usr/local/bin/docker ${VERSION}`]: 'missing',
    });
    const error = await findDockerClient(runner, ['docker', '/usr/local/bin/docker']).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DockerUnavailableError);
    expect((error as DockerUnavailableError).rejected).toEqual([
      'docker 28.2.2: the daemon does not answer (Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?); start dockerd',
      '/usr/local/bin/docker: not found',
    ]);
  });
});
