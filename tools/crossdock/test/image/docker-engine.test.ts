import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLayer,
  canonicalJsonBytes,
  emptyImage,
  indexFromImages,
  parseIndexManifest,
  sha256Digest,
  withConfig,
  withLayers,
  type Image,
} from '@crossdock/oci';
import { readOciLayout, writeOciLayout } from '@crossdock/oci-layout';
import { formatPlatform, parsePlatform, type Platform } from '@crossdock/platform';
import { scratchBase } from '../../src/image/base/scratch-base';
import type { DockerCli } from '../../src/support/docker/docker-cli';
import { createDockerEngine } from '../../src/image/engines/docker-engine';
import { DockerEngineError } from '../../src/image/engines/docker-errors';
import type { ImagePlan } from '../../src/image/plan';
import { CommandError, type Runner } from '../../src/support/process/runner';
import type { Reporter } from '../../src/support/report/reporter';
import { testPlan } from '../support/image-plan';

// The docker engine's paths that this machine's Docker cannot take (buildx is absent), with a
// runner standing in for the docker CLI: it writes what buildx would write, so the engine's
// reading, checking and layout writing run for real.

const platforms = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'].map(parsePlatform);
const ANNOTATIONS = {
  'org.opencontainers.image.title': 'hello',
  'org.opencontainers.image.version': '1.0.0',
};

function planFor(list: readonly Platform[]): ImagePlan {
  return testPlan(
    list.map((platform) => ({ platform, binary: '/nonexistent', files: [] })),
    { annotations: ANNOTATIONS },
  );
}

function recordingReporter(): Reporter & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    step: (m) => lines.push(m),
    warn: (m) => lines.push(`WARNING: ${m}`),
    block: (t) => lines.push(t),
  };
}

/** An image like BuildKit's: one layer with the binary, a config with the platform. */
async function builtImage(platform: Platform): Promise<Image> {
  const layer = await buildLayer(
    [
      {
        path: 'usr/local/bin/hello',
        type: 'file',
        mode: 0o755,
        uid: 0,
        gid: 0,
        content: new TextEncoder().encode(formatPlatform(platform)),
      },
    ],
    { mtime: 0 },
  );
  const base = emptyImage({
    os: platform.os,
    architecture: platform.architecture,
    ...(platform.variant ? { variant: platform.variant } : {}),
  });
  return withConfig(withLayers(base, [layer]), {
    created: '2026-01-01T00:00:00Z',
    config: { Entrypoint: ['/usr/local/bin/hello'], User: '65532:65532' },
  });
}

/**
 * Writes an OCI layout as buildx's OCI exporter does: index.json → one image index holding
 * the platform manifests and an attestation manifest (platform unknown/unknown).
 */
async function writeBuildxLayout(dir: string, images: readonly Image[]): Promise<void> {
  const attestation = await builtImage({ os: 'unknown', architecture: 'unknown' });
  await writeOciLayout(dir, indexFromImages([...images, attestation]));
  const top = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
  const nestedDigest: string = top.manifests[0].digest;
  const nested = parseIndexManifest(
    await readFile(join(dir, 'blobs/sha256', nestedDigest.slice(7))),
    'nested',
  );
  const manifests = nested.manifests.map((d) =>
    d.platform?.os === 'unknown'
      ? {
          ...d,
          annotations: {
            'vnd.docker.reference.digest': images[0]!.digest,
            'vnd.docker.reference.type': 'attestation-manifest',
          },
        }
      : d,
  );
  const bytes = canonicalJsonBytes({ ...nested, manifests });
  await writeFile(join(dir, 'blobs/sha256', sha256Digest(bytes).slice(7)), bytes);
  top.manifests = [
    { mediaType: nested.mediaType, digest: sha256Digest(bytes), size: bytes.byteLength },
  ];
  await writeFile(join(dir, 'index.json'), JSON.stringify(top));
}

const buildxCli: DockerCli = {
  program: 'docker',
  clientVersion: '24.0.7',
  serverVersion: '24.0.7',
  path: 'buildx-oci',
  buildx: { version: '0.11.2', builder: 'ci', driver: 'docker-container', attestationFlags: true },
  env: {},
  notes: [],
};

describe('docker engine, buildx path (one multi-platform build, OCI output)', () => {
  let work = '';
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'crossdock-docker-engine-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('runs one buildx build for every platform and writes the same kind of layout as builtin, attestations dropped', async () => {
    const images = await Promise.all(platforms.map(builtImage));
    const calls: string[][] = [];
    const runner: Runner = {
      async run(command, args) {
        calls.push([command, ...args]);
        const output = args[args.indexOf('--output') + 1] ?? '';
        const dest = /^type=oci,dest=(.+)$/.exec(output)?.[1];
        if (dest === undefined) throw new Error(`unexpected command ${args.join(' ')}`);
        const layout = join(work, 'buildx-layout');
        // buildx lists platforms in its own order; the engine must put them back in the plan's.
        await writeBuildxLayout(layout, [...images].reverse());
        await execa('tar', ['-cf', dest, '-C', layout, '.']);
        return { stdout: '', stderr: '', exitCode: 0, durationMs: 1234 };
      },
    };
    const reporter = recordingReporter();
    const layoutDir = join(work, 'out');
    const contextDir = join(work, 'context');
    const result = await createDockerEngine({ runner, detect: async () => buildxCli }).build({
      plan: planFor(platforms),
      base: scratchBase,
      contextDir,
      layoutDir,
      reporter,
    });

    expect(calls).toHaveLength(1);
    expect(calls[0]?.slice(0, 5)).toEqual([
      'docker',
      'buildx',
      'build',
      '--platform',
      'linux/amd64,linux/arm64,linux/arm/v7',
    ]);
    expect(calls[0]).toContain('--provenance=false');
    expect(reporter.lines[0]).toBe(
      'docker engine: docker 24.0.7 (daemon 24.0.7), docker buildx 0.11.2 (builder "ci", driver docker-container): one multi-platform build, OCI output',
    );

    const index = await (await readOciLayout(layoutDir)).resolveIndex('latest');
    expect(index.manifests.map((d) => formatPlatform(d.platform as Platform))).toEqual([
      'linux/amd64',
      'linux/arm64',
      'linux/arm/v7',
    ]);
    expect(index.annotations).toEqual(ANNOTATIONS);
    expect(result.indexDigest).toBe(index.digest);
    for (const [i, image] of index.images.entries()) {
      expect(image.manifest.annotations).toEqual(ANNOTATIONS);
      // The config is buildx's, byte for byte.
      expect(image.manifest.config.digest).toBe(images[i]!.manifest.config.digest);
      expect(image.layers.map((l) => l.diffId)).toEqual(images[i]!.layers.map((l) => l.diffId));
    }
    expect(result.platforms.map((p) => p.durationMs)).toEqual([1234, 1234, 1234]);
  });

  it('fails naming the platform buildx did not produce', async () => {
    const images = await Promise.all(platforms.slice(0, 2).map(builtImage));
    const runner: Runner = {
      async run(_command, args) {
        const dest = /^type=oci,dest=(.+)$/.exec(args[args.indexOf('--output') + 1] ?? '')![1]!;
        const layout = join(work, 'short-layout');
        await writeBuildxLayout(layout, images);
        await execa('tar', ['-cf', dest, '-C', layout, '.']);
        return { stdout: '', stderr: '', exitCode: 0, durationMs: 1 };
      },
    };
    const error = await createDockerEngine({ runner, detect: async () => buildxCli })
      .build({
        plan: planFor(platforms),
        base: scratchBase,
        contextDir: work,
        layoutDir: join(work, 'never'),
        reporter: recordingReporter(),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerEngineError);
    expect((error as Error).message).toMatch(
      /^hello: cannot read the OCI layout docker buildx wrote .*no image for linux\/arm\/v7 \(it has: linux\/amd64, linux\/arm64\)/,
    );
  });
});

describe('docker engine, one build per platform', () => {
  it('when one platform fails: reports it with the log tail and how to reproduce, and still removes the tags of the others', async () => {
    const work = await mkdtemp(join(tmpdir(), 'crossdock-docker-fail-'));
    const calls: string[][] = [];
    const cli: DockerCli = {
      ...buildxCli,
      program: '/usr/bin/docker',
      path: 'buildkit-env',
      env: { DOCKER_BUILDKIT: '1' },
      clientVersion: '20.10.24',
    };
    delete (cli as { buildx?: unknown }).buildx;
    const runner: Runner = {
      async run(command, args) {
        calls.push([command, ...args]);
        if (args[0] === 'rmi') return { stdout: '', stderr: '', exitCode: 0, durationMs: 1 };
        const platform = args[args.indexOf('--platform') + 1];
        if (platform === 'linux/arm64')
          throw new CommandError(
            command,
            args,
            1,
            '#5 ERROR: failed to compute cache key: "/bin/linux/arm64/hello" not found',
            'exited with code 1',
          );
        await mkdir(work, { recursive: true });
        await writeFile(args[args.indexOf('--iidfile') + 1]!, 'sha256:0000');
        return { stdout: '', stderr: '', exitCode: 0, durationMs: 5 };
      },
    };
    const error = await createDockerEngine({ runner, detect: async () => cli })
      .build({
        plan: planFor(platforms),
        base: scratchBase,
        contextDir: '/w/dist/context/hello',
        layoutDir: join(work, 'out'),
        reporter: recordingReporter(),
      })
      .catch((e: unknown) => e);
    await rm(work, { recursive: true, force: true });
    expect(error).toBeInstanceOf(DockerEngineError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^hello: docker build for linux\/arm64 failed \(exit 1\):\n#5 ERROR: failed to compute cache key: "\/bin\/linux\/arm64\/hello" not found\n/,
    );
    expect(message).toMatch(
      /Reproduce: DOCKER_BUILDKIT=1 \/usr\/bin\/docker build --platform linux\/arm64 .* \/w\/dist\/context\/hello/,
    );
    const rmi = calls.filter((c) => c[1] === 'rmi');
    expect(rmi).toHaveLength(1);
    expect(rmi[0]?.slice(2).sort()).toEqual([
      expect.stringMatching(/^crossdock-tmp\/hello:linux-amd64-[0-9a-f]{8}$/),
      expect.stringMatching(/^crossdock-tmp\/hello:linux-arm-v7-[0-9a-f]{8}$/),
    ]);
    expect(calls.some((c) => c[1] === 'save')).toBe(false);
  });
});
