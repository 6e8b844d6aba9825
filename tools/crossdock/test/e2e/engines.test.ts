import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintDockerfileText } from '@crossdock/dockerfile';
import { readOciLayout, validateLayout } from '@crossdock/oci-layout';
import { formatPlatform, type Platform } from '@crossdock/platform';
import {
  compareDescriptions,
  describeImage,
  type ImageDescription,
} from '../../src/image/engines/compare-images';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import { dockerGate, TEST_DOCKER } from './docker-gate';

// Both engines on the sample apps (hello: 6 platforms, relay: 2): the docker engine's images
// must have the same files, modes, owners and config as the builtin engine's, platform by
// platform. Then `nx run hello:load` puts the host's image into Docker and it runs.
const APPS = ['hello', 'relay'] as const;
const gate = dockerGate('docker engine end to end', ['go', 'git', 'skopeo']);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

interface Described {
  readonly platform: string;
  readonly description: ImageDescription;
  readonly configDigest: string;
}

/** Every platform's image of a project's layout, described (read now: the next build replaces the layout). */
async function describeLayout(root: string, app: string): Promise<Described[]> {
  const index = await (await readOciLayout(join(root, 'dist/images', app))).resolveIndex('latest');
  return Promise.all(
    index.images.map(async (image, i) => ({
      platform: formatPlatform(index.manifests[i]!.platform as Platform),
      description: await describeImage(image),
      configDigest: image.manifest.config.digest,
    })),
  );
}

describe.skipIf(!gate.ok && !gate.ci)(
  'the docker engine builds the same images as the builtin engine',
  () => {
    let ws: WorkspaceCopy;
    let builtinRun: { exitCode: number; output: string };
    let dockerRun: { exitCode: number; output: string };
    const builtin: Record<string, Described[]> = {};
    const docker: Record<string, Described[]> = {};
    const loadedTags: string[] = [];

    beforeAll(async () => {
      if (!gate.ok) throw new Error(gate.message);
      ws = await copyWorkspace();
      builtinRun = await ws.nx(['run-many', '-t', 'image', '--outputStyle=static']);
      if (builtinRun.exitCode !== 0) return;
      for (const app of APPS) builtin[app] = await describeLayout(ws.root, app);
      dockerRun = await ws.nx([
        'run-many',
        '-t',
        'image',
        '--engine=docker',
        '--outputStyle=static',
      ]);
      if (dockerRun.exitCode !== 0) return;
      for (const app of APPS) docker[app] = await describeLayout(ws.root, app);
    });
    afterAll(async () => {
      if (loadedTags.length > 0)
        await execa(TEST_DOCKER, ['rmi', ...loadedTags], { reject: false });
      ws?.remove();
    });

    it('builds both apps with both engines and says which docker path ran', () => {
      expect(builtinRun.exitCode, builtinRun.output).toBe(0);
      expect(dockerRun.exitCode, dockerRun.output).toBe(0);
      expect(dockerRun.output).toMatch(
        /\[hello\] docker engine: \S+ [\d.]+\S* \(daemon [^)]+\), (BuildKit through DOCKER_BUILDKIT=1: one docker build per platform|docker buildx )/,
      );
      expect(dockerRun.output).toMatch(/\[relay\] linux\/arm64 {2}image built by docker in /);
      expect(Object.keys(docker)).toEqual([...APPS]);
    });

    it.each([
      ...[
        'linux/amd64',
        'linux/arm64',
        'linux/arm/v7',
        'linux/ppc64le',
        'linux/s390x',
        'linux/riscv64',
      ].map((p) => ['hello', p] as const),
      ...['linux/amd64', 'linux/arm64'].map((p) => ['relay', p] as const),
    ])('%s %s: same files, modes, owners and config from both engines', (app, platform) => {
      const a = builtin[app]?.find((d) => d.platform === platform);
      const b = docker[app]?.find((d) => d.platform === platform);
      expect(a, `builtin has no ${platform} image of ${app}`).toBeDefined();
      expect(b, `docker has no ${platform} image of ${app}`).toBeDefined();
      const differences = compareDescriptions(a!.description, b!.description, [
        'builtin',
        'docker',
      ]);
      expect(
        differences,
        `${app} ${platform} differs between the engines:\n  ${differences.join('\n  ')}`,
      ).toEqual([]);
      // Not vacuous: the binary, the shared files and the config are there.
      expect(b!.description.files.map((f) => f.path)).toEqual(
        expect.arrayContaining([
          `usr/local/bin/${app}`,
          'etc/passwd',
          'etc/group',
          'etc/ssl/certs/ca-certificates.crt',
        ]),
      );
      expect(b!.description.config).toMatchObject({
        Entrypoint: [`/usr/local/bin/${app}`],
        User: '65532:65532',
      });
    });

    it("writes a valid OCI layout with the builtin engine's platforms and annotations, from a lint-clean Dockerfile", async () => {
      for (const app of APPS) {
        await validateLayout(join(ws.root, 'dist/images', app));
        const raw = JSON.parse(
          (
            await execa('skopeo', [
              'inspect',
              '--raw',
              `oci:${join(ws.root, 'dist/images', app)}:latest`,
            ])
          ).stdout,
        );
        expect(
          raw.manifests.map((m: { platform: Platform }) => formatPlatform(m.platform)),
        ).toEqual(builtin[app]?.map((d) => d.platform));
        expect(raw.annotations['org.opencontainers.image.title']).toBe(app);
        const dockerfile = readFileSync(join(ws.root, 'dist/context', app, 'Dockerfile'), 'utf8');
        expect(lintDockerfileText(dockerfile)).toEqual([]);
      }
    });

    it('removes its temporary tags and images from Docker', async () => {
      const tags = (
        await execa(TEST_DOCKER, ['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'])
      ).stdout;
      for (const app of APPS) {
        for (const { configDigest } of docker[app] ?? []) {
          // The config digest is the docker image ID; the image went with its temporary tag.
          const inspect = await execa(TEST_DOCKER, ['image', 'inspect', configDigest], {
            reject: false,
          });
          expect(
            inspect.exitCode,
            `${app} image ${configDigest} is still in Docker:\n${tags}`,
          ).not.toBe(0);
        }
      }
    });

    it("nx run hello:load puts the host platform's image into Docker as <repository>:<tag>, and it runs", async () => {
      const repository = `crossdock-e2e-load-${randomBytes(3).toString('hex')}/hello`;
      const run = await ws.nx([
        'run',
        'hello:load',
        `--repository=${repository}`,
        '--outputStyle=static',
      ]);
      expect(run.exitCode, run.output).toBe(0);
      loadedTags.push(`${repository}:latest`);
      expect(run.output).toContain(`loaded the linux/amd64 image`);
      const output = (
        await execa(TEST_DOCKER, ['run', '--rm', `${repository}:latest`, '--version'])
      ).stdout;
      expect(JSON.parse(output)).toMatchObject({ os: 'linux', arch: 'amd64', version: '1.0.0' });
      // The image Docker has is the index's amd64 image: its ID is that config's digest.
      const id = (
        await execa(TEST_DOCKER, [
          'image',
          'inspect',
          '--format',
          '{{.Id}}',
          `${repository}:latest`,
        ])
      ).stdout.trim();
      const index = await (
        await readOciLayout(join(ws.root, 'dist/images/hello'))
      ).resolveIndex('latest');
      expect(id).toBe(index.images[0]!.manifest.config.digest);
    });

    it('nx run hello:load --platform=linux/arm64 loads that platform, which docker runs under emulation', async () => {
      const repository = `crossdock-e2e-load-${randomBytes(3).toString('hex')}/hello-arm64`;
      const run = await ws.nx([
        'run',
        'hello:load',
        '--platform=linux/arm64',
        `--repository=${repository}`,
        '--outputStyle=static',
      ]);
      expect(run.exitCode, run.output).toBe(0);
      loadedTags.push(`${repository}:latest`);
      const output = (
        await execa(TEST_DOCKER, [
          'run',
          '--rm',
          '--platform',
          'linux/arm64',
          `${repository}:latest`,
          '--version',
        ])
      ).stdout;
      expect(JSON.parse(output)).toMatchObject({ os: 'linux', arch: 'arm64' });
    });

    it('refuses --load on the image target, naming the load target', async () => {
      const run = await ws.nx(['run', 'hello:image', '--load', '--outputStyle=static']);
      expect(run.exitCode).not.toBe(0);
      expect(run.output).toContain('run "nx run hello:load"');
    });
  },
);
