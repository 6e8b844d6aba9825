import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryClient } from '@crossdock/registry';
import { indexFromImages, MediaType, withConfig } from '@crossdock/oci';
import { readOciLayout, writeOciLayout } from '@crossdock/oci-layout';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import {
  startRegistry,
  type RunningRegistry,
} from '../../../../libs/test-support/src/registry/start-registry';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import type { PushRecord } from '../../src/publish/push/push-record';
import { taskOutcomes } from './nx-output';

// `nx run-many -t push` end to end in a workspace copy, against real registries
// (docker-registry), read back by independent clients (skopeo, the Docker engine).
const DOCKER = '/usr/bin/docker';
const SHARED = '127.0.0.1:5000';
const BUSYBOX = `${SHARED}/busybox:latest`;
const BUSYBOX_LAYOUT = '/var/cache/crossdock/busybox-oci';
const gate = toolGate(
  'push end to end',
  ['go', 'git', 'docker-registry', 'skopeo', 'htpasswd', 'openssl'],
  process.env,
);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

interface RawIndex {
  readonly manifests: readonly {
    readonly digest: string;
    readonly platform: {
      readonly os: string;
      readonly architecture: string;
      readonly variant?: string;
    };
  }[];
  readonly annotations?: Readonly<Record<string, string>>;
}

async function skopeo(
  args: readonly string[],
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await execa('skopeo', [...args], { reject: false });
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
}

async function rawIndex(reference: string): Promise<RawIndex> {
  const result = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${reference}`]);
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as RawIndex;
}

const platformName = (p: RawIndex['manifests'][number]['platform']) =>
  `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
/** Blob uploads the registry completed, from its access log. */
const uploadCount = async (registry: RunningRegistry) =>
  ((await registry.log()).match(/"PUT \/v2\/[^"]*\/blobs\/uploads\//g) ?? []).length;

describe.skipIf(!gate.ok && !gate.ci)('nx run-many -t push (end to end)', () => {
  let ws: WorkspaceCopy;
  let registry: RunningRegistry;
  let moving: RunningRegistry;
  const e2eRepository = `crossdock-e2e/relay-${randomBytes(4).toString('hex')}`;
  const pulled: string[] = [];
  const record = (project: string) =>
    JSON.parse(readFileSync(join(ws.root, 'dist/push', `${project}.json`), 'utf8')) as PushRecord;
  const layoutIndex = (project: string) =>
    JSON.parse(readFileSync(join(ws.root, 'dist/images', project, 'index.json'), 'utf8')) as {
      manifests: [{ digest: string }];
    };
  const layoutBlob = (project: string, digest: string) =>
    JSON.parse(
      readFileSync(join(ws.root, 'dist/images', project, 'blobs/sha256', digest.slice(7)), 'utf8'),
    );

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    const engine = await execa(DOCKER, ['version', '--format', '{{.Server.Version}}'], {
      reject: false,
    });
    if (engine.exitCode !== 0)
      throw new Error(
        `no Docker engine at /var/run/docker.sock; run tools/scripts/setup-engines.sh\n${engine.stderr}`,
      );
    const base = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${BUSYBOX}`]);
    if (base.exitCode !== 0)
      throw new Error(`no ${BUSYBOX}; run tools/scripts/build-busybox-base.sh\n${base.stderr}`);

    [ws, registry, moving] = await Promise.all([
      copyWorkspace(),
      startRegistry({ auth: 'none' }),
      startRegistry({ auth: 'none' }),
    ]);
    // A base whose tag the tests re-point, in a registry of their own.
    await execa('skopeo', [
      'copy',
      '--all',
      '--src-tls-verify=false',
      '--dest-tls-verify=false',
      `docker://${BUSYBOX}`,
      `docker://${moving.host}/base:latest`,
    ]);
    // A base in an OCI layout inside the workspace, with its own config: PATH, a variable, root user, a label.
    const busybox = await (await readOciLayout(BUSYBOX_LAYOUT)).resolveIndex();
    const derived = busybox.images.map((image) =>
      withConfig(image, {
        config: {
          Env: ['PATH=/opt/base/bin:/bin', 'BASE_ONLY=1'],
          User: '0:0',
          Labels: { 'org.example.base': 'derived' },
        },
      }),
    );
    await writeOciLayout(join(ws.root, 'bases/derived'), indexFromImages(derived));
    const projectPath = join(ws.root, 'apps/relay/project.json');
    const project = JSON.parse(readFileSync(projectPath, 'utf8'));
    project.targets.image.configurations = {
      ...project.targets.image.configurations,
      moving: { base: `${moving.host}/base:latest` },
      layout: { base: 'oci:bases/derived' },
    };
    writeFileSync(projectPath, JSON.stringify(project, null, 2));
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-q', '-m', 'e2e: base configurations']);
  });
  afterAll(async () => {
    if (pulled.length > 0)
      await execa(DOCKER, ['rmi', '-f', ...new Set(pulled)], { reject: false });
    await registry?.stop();
    await moving?.stop();
    ws?.remove();
  });

  it('pushes every project: blobs, manifests, index, tags; prints references with digests; writes dist/push/<project>.json', async () => {
    const run = await ws.nx([
      'run-many',
      '-t',
      'push',
      `--registry=${registry.host}`,
      '--outputStyle=static',
    ]);
    expect(run.exitCode, run.output).toBe(0);
    const commit = (await ws.git(['rev-parse', '--short', 'HEAD'])).trim();
    for (const project of ['hello', 'relay']) {
      const pushed = record(project);
      expect(pushed).toMatchObject({
        project,
        registry: registry.host,
        repository: project,
        tags: ['latest', commit],
      });
      expect(pushed.indexDigest).toBe(layoutIndex(project).manifests[0].digest);
      expect(run.output).toContain(
        `[${project}] tagged         ${registry.host}/${project}:latest@${pushed.indexDigest}`,
      );
      expect(run.output).toContain(
        `[${project}] index          ${registry.host}/${project}@${pushed.indexDigest}`,
      );
      for (const { platform, digest } of pushed.platforms)
        expect(run.output).toMatch(
          new RegExp(`\\[${project}\\] ${platform} +${registry.host}/${project}@${digest}`),
        );
      // skopeo reads the index under both tags, with every platform, and each manifest by digest.
      for (const tag of pushed.tags) {
        const index = await rawIndex(`${registry.host}/${project}:${tag}`);
        expect(
          index.manifests.map((m) => ({ platform: platformName(m.platform), digest: m.digest })),
        ).toEqual(pushed.platforms);
      }
      for (const { digest } of pushed.platforms) {
        const manifest = await skopeo([
          'inspect',
          '--raw',
          '--tls-verify=false',
          `docker://${registry.host}/${project}@${digest}`,
        ]);
        expect(JSON.parse(manifest.stdout).mediaType).toBe(MediaType.ociManifest);
      }
    }
    expect(record('hello').platforms.map((p) => p.platform)).toEqual([
      'linux/amd64',
      'linux/arm64',
      'linux/arm/v7',
      'linux/ppc64le',
      'linux/s390x',
      'linux/riscv64',
    ]);
  });

  it('lets the Docker engine pull every platform', async () => {
    for (const project of ['hello', 'relay']) {
      for (const { platform, digest } of record(project).platforms) {
        const reference = `${registry.host}/${project}:latest`;
        const pull = await execa(DOCKER, ['pull', '--platform', platform, reference], {
          reject: false,
        });
        expect(pull.exitCode, `${platform}: ${pull.stderr}`).toBe(0);
        pulled.push(reference);
        const inspect = await execa(DOCKER, [
          'image',
          'inspect',
          '--format',
          '{{.Os}}/{{.Architecture}}{{if .Variant}}/{{.Variant}}{{end}} {{json .RepoDigests}}',
          reference,
        ]);
        expect(inspect.stdout, `${project} ${platform} (${digest})`).toMatch(
          new RegExp(`^${platform} `),
        );
      }
    }
  });

  it('uploads no blob when the same images are pushed again', async () => {
    const before = await uploadCount(registry);
    expect(before).toBeGreaterThan(0);
    // The images are built: push alone (--exclude-task-dependencies) keeps the run short.
    const run = await ws.nx([
      'run-many',
      '-t',
      'push',
      `--registry=${registry.host}`,
      '--exclude-task-dependencies',
      '--outputStyle=static',
    ]);
    expect(run.exitCode, run.output).toBe(0);
    expect(await uploadCount(registry)).toBe(before);
    for (const project of ['hello', 'relay'])
      expect(record(project).blobs).toMatchObject({ uploaded: 0, mounted: 0, bytesUploaded: 0 });
    expect(run.output).toMatch(/\[hello\] blobs: 0 uploaded \(0 B\), 0 mounted, 12 already there/);
  });

  it('authenticates with --username and --password-env, and from DOCKER_CONFIG, printing no secret', async () => {
    const [basic, token] = await Promise.all([
      startRegistry({ auth: 'basic' }),
      startRegistry({ auth: 'token' }),
    ]);
    const configDir = mkdtempSync(join(tmpdir(), 'crossdock-e2e-docker-'));
    try {
      const { username, password } = basic.users[0]!;
      const auth = Buffer.from(`${token.users[0]!.username}:${token.users[0]!.password}`).toString(
        'base64',
      );
      writeFileSync(
        join(configDir, 'config.json'),
        JSON.stringify({ auths: { [token.host]: { auth } } }),
      );
      const pushOnly = ['--exclude-task-dependencies', '--outputStyle=static'];
      const [explicit, fromConfig] = await Promise.all([
        ws.nx(
          [
            'run',
            'relay:push',
            `--registry=${basic.host}`,
            `--username=${username}`,
            '--password-env=E2E_REGISTRY_PASSWORD',
            ...pushOnly,
          ],
          { E2E_REGISTRY_PASSWORD: password },
        ),
        ws.nx(['run', 'relay:push', `--registry=${token.host}`, ...pushOnly], {
          DOCKER_CONFIG: configDir,
        }),
      ]);
      expect(explicit.exitCode, explicit.output).toBe(0);
      expect(explicit.output).toContain(
        `authenticated with --username ${username} with the password from $E2E_REGISTRY_PASSWORD`,
      );
      expect(explicit.output).not.toContain(password);
      expect(fromConfig.exitCode, fromConfig.output).toBe(0);
      expect(fromConfig.output).toContain(
        `authenticated with auths in ${join(configDir, 'config.json')}`,
      );
      expect(fromConfig.output).not.toContain(auth);
      expect(fromConfig.output).not.toContain(token.users[0]!.password);
      const index = await skopeo([
        'inspect',
        '--raw',
        '--tls-verify=false',
        `--creds=${username}:${password}`,
        `docker://${basic.host}/relay:latest`,
      ]);
      expect(JSON.parse(index.stdout).manifests).toHaveLength(2);
    } finally {
      await Promise.all([basic.stop(), token.stop()]);
      rmSync(configDir, { recursive: true, force: true });
    }
  });

  it('builds relay on the busybox base, mounts the base layers when pushing to its registry, and the image runs', async () => {
    const run = await ws.nx([
      'run',
      'relay:push:busybox',
      `--registry=${SHARED}`,
      `--repository=${e2eRepository}`,
      '--outputStyle=static',
    ]);
    expect(run.exitCode, run.output).toBe(0);
    const pushed = record('relay');
    // One busybox layer per platform is mounted from the busybox repository, never uploaded.
    expect(pushed.blobs).toMatchObject({ mounted: 2, uploaded: 4 });
    expect(run.output).toContain('[relay] blobs: 4 uploaded');
    expect(run.output).toContain('2 mounted from busybox');
    const busyboxDigest = (
      await skopeo([
        'inspect',
        '--format',
        '{{.Digest}}',
        '--tls-verify=false',
        `docker://${BUSYBOX}`,
      ])
    ).stdout.trim();
    const reference = `${SHARED}/${e2eRepository}:latest`;
    pulled.push(reference);
    const version = await execa(
      DOCKER,
      ['run', '--rm', '--pull', 'always', '--platform', 'linux/arm64', reference, '--version'],
      { reject: false },
    );
    expect(version.exitCode, version.stderr).toBe(0);
    expect(JSON.parse(version.stdout)).toMatchObject({ name: 'relay', arch: 'arm64' });
    const shell = await execa(DOCKER, [
      'run',
      '--rm',
      '--platform',
      'linux/arm64',
      '--entrypoint',
      '/bin/sh',
      reference,
      '-c',
      'busybox uname -m; echo $PATH',
    ]);
    expect(shell.stdout.split('\n')).toEqual([
      'aarch64',
      '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    ]);

    const manifest = JSON.parse(
      (
        await skopeo([
          'inspect',
          '--raw',
          '--tls-verify=false',
          `docker://${SHARED}/${e2eRepository}@${pushed.platforms[1]!.digest}`,
        ])
      ).stdout,
    );
    expect(manifest.annotations).toMatchObject({
      'org.opencontainers.image.base.name': BUSYBOX,
      'org.opencontainers.image.base.digest': busyboxDigest,
    });
    const config = JSON.parse(
      (await skopeo(['inspect', '--config', '--tls-verify=false', `docker://${reference}`])).stdout,
    );
    const baseConfig = JSON.parse(
      (await skopeo(['inspect', '--config', '--tls-verify=false', `docker://${BUSYBOX}`])).stdout,
    );
    expect(config.config.Env).toContain(
      baseConfig.config.Env.find((e: string) => e.startsWith('PATH=')),
    );
    expect(config.rootfs.diff_ids[0]).toBe(baseConfig.rootfs.diff_ids[0]);
    expect(config.history[0]).toEqual(baseConfig.history[0]);
  });

  it('merges a layout base config under the project: base PATH and variables kept, our user and labels win', async () => {
    const run = await ws.nx(['run', 'relay:image:layout', '--outputStyle=static']);
    expect(run.exitCode, run.output).toBe(0);
    const manifest = layoutBlob(
      'relay',
      JSON.parse(readFileSync(join(ws.root, 'dist/images/relay/index.json'), 'utf8')).manifests[0]
        .digest,
    );
    const first = layoutBlob(
      'relay',
      (manifest as { manifests: { digest: string }[] }).manifests[0]!.digest,
    );
    expect(first.annotations['org.opencontainers.image.base.name']).toBe('oci:bases/derived');
    const config = layoutBlob('relay', first.config.digest).config;
    expect(config.Env).toEqual(['PATH=/opt/base/bin:/bin', 'BASE_ONLY=1']);
    expect(config.User).toBe('65532:65532');
    expect(config.Labels).toMatchObject({
      'org.example.base': 'derived',
      'org.opencontainers.image.title': 'relay',
    });
  });

  it('rebuilds the image when the base tag moves, and only then (runtime input, run from any directory)', async () => {
    const build = (cwd = ws.root) =>
      execa(
        'node',
        [
          join(ws.root, 'node_modules/nx/dist/bin/nx.js'),
          'run',
          'relay:image:moving',
          '--outputStyle=static',
        ],
        {
          cwd,
          env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
          reject: false,
          all: true,
        },
      );
    const baseAnnotation = () => {
      const index = layoutBlob('relay', layoutIndex('relay').manifests[0].digest) as {
        manifests: { digest: string }[];
      };
      return layoutBlob('relay', index.manifests[0]!.digest).annotations[
        'org.opencontainers.image.base.digest'
      ];
    };
    const first = await build();
    expect(first.exitCode, String(first.all)).toBe(0);
    const oldDigest = (
      await skopeo([
        'inspect',
        '--format',
        '{{.Digest}}',
        '--tls-verify=false',
        `docker://${moving.host}/base:latest`,
      ])
    ).stdout.trim();
    expect(baseAnnotation()).toBe(oldDigest);
    // From a project directory: runtime inputs still run in the workspace root, so the hash is the same.
    const again = await build(join(ws.root, 'apps/relay'));
    expect(again.exitCode, String(again.all)).toBe(0);
    expect(taskOutcomes(String(again.all)).cached).toContain('relay:image:moving');

    // Re-point the tag at another index of the same images.
    const client = createRegistryClient({ registry: moving.host });
    const current = await client.getManifest('base', 'latest');
    const repointed = JSON.parse(Buffer.from(current.bytes).toString('utf8'));
    repointed.annotations = { 'org.example.rebuilt': 'yes' };
    const newDigest = await client.pushManifest(
      'base',
      'latest',
      Buffer.from(JSON.stringify(repointed)),
      current.mediaType,
    );
    expect(newDigest).not.toBe(oldDigest);

    const rebuilt = await build();
    expect(rebuilt.exitCode, String(rebuilt.all)).toBe(0);
    expect(taskOutcomes(String(rebuilt.all)).ran).toContain('relay:image:moving');
    expect(baseAnnotation()).toBe(newDigest);
  });
});
