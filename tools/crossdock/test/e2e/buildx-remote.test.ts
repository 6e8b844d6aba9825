import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPlatform, type Platform } from '@crossdock/platform';
import { compareDescriptions, type ImageDescription } from '../../src/image/engines/compare-images';
import { buildxBuilderAvailable } from '../../../../libs/test-support/src/test-buildx';
import {
  cloneWorkspace,
  copyWorkspace,
  REPO_ROOT,
  type WorkspaceCopy,
} from '../../../scripts/testing/workspace-copy';
import {
  startRegistry,
  type RunningRegistry,
} from '../../../../libs/test-support/src/registry/start-registry';
import { BUILDX, buildx, describeLayout, type Described } from './buildx-support';
import { dockerGate, TEST_DOCKER } from './docker-gate';
import { editImageOptions } from './workspace-edits';

// The docker engine's buildx path on a real `remote` builder (buildkitd v0.34.2, buildx
// v0.38.2; tools/scripts/setup-buildkit.sh): one buildx build of hello's six platforms read back
// as the layout, the same images as the builtin engine, two builds of one commit giving one
// index digest on a builder that has just built another commit (never pruned), the generated
// context built and pushed by the user's own buildx command, CI cells that build through
// buildx and merge, and the hermetic Dockerfile without an emulated RUN.
const SUITE = 'docker engine on a remote BuildKit builder';
const HELLO = [
  'linux/amd64',
  'linux/arm64',
  'linux/arm/v7',
  'linux/ppc64le',
  'linux/s390x',
  'linux/riscv64',
];
const SHARED_REGISTRY = process.env['CROSSDOCK_REGISTRY'] ?? '127.0.0.1:5000';
const gate = dockerGate(SUITE, ['go', 'git', 'skopeo']);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);
// Under CI=true a builder that does not answer fails the suite (missingComponent).
const ready = gate.ok && buildxBuilderAvailable(SUITE);

describe.skipIf(!ready && !gate.ci)(`${SUITE}: buildx, one build for every platform`, () => {
  let ws: WorkspaceCopy;
  let clone: WorkspaceCopy | undefined;
  let registry: RunningRegistry | undefined;
  let builtinRun: { exitCode: number; output: string };
  let buildxRun: { exitCode: number; output: string };
  let builtin: Described;
  let docker: Described;
  const pulled: string[] = [];

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    ws = await copyWorkspace();
    builtinRun = await ws.nx(['run', 'hello:image', '--outputStyle=static']);
    if (builtinRun.exitCode !== 0) return;
    builtin = await describeLayout(ws.root);
    // The builder keeps whatever it built before (this suite's earlier runs, other projects).
    buildxRun = await ws.nx(
      ['run', 'hello:image', '--engine=docker', '--skip-nx-cache', '--outputStyle=static'],
      BUILDX,
    );
    if (buildxRun.exitCode === 0) docker = await describeLayout(ws.root);
  }, 600_000);
  afterAll(async () => {
    if (pulled.length > 0) await execa(TEST_DOCKER, ['rmi', ...pulled], { reject: false });
    ws?.remove();
    clone?.remove();
    await registry?.stop();
  });

  it('runs one buildx build for the six platforms on the remote builder, and the log says so', () => {
    expect(builtinRun.exitCode, builtinRun.output).toBe(0);
    expect(buildxRun.exitCode, buildxRun.output).toBe(0);
    expect(buildxRun.output).toMatch(
      /\[hello\] docker engine: docker \S+ \(daemon [^)]+\), docker buildx 0\.38\.2 \(builder "crossdock-remote", driver remote, BuildKit v0\.34\.2\): one multi-platform build, OCI output/,
    );
    expect(buildxRun.output).toMatch(
      /\[hello\] buildx: SOURCE_DATE_EPOCH=\d+ for created and history, rewrite-timestamp=true clamps the new layers' file times \(BuildKit v0\.34\.2\)/,
    );
    // The prebuilt Dockerfile has no RUN: BuildKit's own log, read by the engine, shows none.
    expect(buildxRun.output).toContain('[hello] BuildKit ran no RUN step: nothing was emulated');
    expect(docker.images.map((i) => i.platform)).toEqual(HELLO);
  });

  it('writes a layout without attestation manifests (skopeo reads the six platforms)', async () => {
    const raw = JSON.parse(
      (
        await execa('skopeo', [
          'inspect',
          '--raw',
          `oci:${join(ws.root, 'dist/images/hello')}:latest`,
        ])
      ).stdout,
    );
    expect(raw.manifests.map((m: { platform: Platform }) => formatPlatform(m.platform))).toEqual(
      HELLO,
    );
    expect(JSON.stringify(raw)).not.toContain('attestation-manifest');
  });

  it.each(HELLO)(
    '%s: the same files, modes, owners and config as the builtin engine',
    (platform) => {
      const a = builtin.images.find((d) => d.platform === platform)!.description;
      const b = docker.images.find((d) => d.platform === platform)!.description as ImageDescription;
      const differences = compareDescriptions(a, b, ['builtin', 'buildx']);
      expect(differences, differences.join('\n')).toEqual([]);
      expect(b.files.map((f) => f.path)).toEqual(
        expect.arrayContaining([
          'usr/local/bin/hello',
          'etc/passwd',
          'etc/ssl/certs/ca-certificates.crt',
        ]),
      );
    },
  );

  it('has the same layer tars as the builtin engine (diff_ids), every time the epoch; its gzip stream and config are its own', () => {
    const epoch = epochOf(buildxRun.output);
    for (const [i, image] of docker.images.entries()) {
      const b = builtin.images[i]!;
      expect(image.mtimes, image.platform).toEqual([epoch]);
      // The same tar bytes (files, headers, times clamped to the same epoch); BuildKit's gzip
      // stream and its config (a history entry per Dockerfile step) differ, so layer, config,
      // manifest and index digests differ.
      expect(image.diffIds, image.platform).toEqual(b.diffIds);
      expect(image.layers.at(-1)).not.toBe(b.layers.at(-1));
      expect(image.config).not.toBe(b.config);
    }
    expect(docker.digest).not.toBe(builtin.digest);
  });

  it('is reproducible on a warm builder: after it built the previous commit, two clones of the next commit give the same index digest, every time that epoch', async () => {
    // The case that failed: the builder has just built this project from another commit, whose
    // COPY snapshots (same contents, so the same cache keys) it reuses for the next one.
    appendFileSync(
      join(ws.root, 'apps/hello/main.go'),
      '\n// A later commit: a new revision and epoch.\n',
    );
    await ws.git(['commit', '-qam', 'hello: a later commit']);
    clone = await cloneWorkspace(ws);
    const first = await ws.nx(
      ['run', 'hello:image', '--engine=docker', '--outputStyle=static'],
      BUILDX,
    );
    expect(first.exitCode, first.output).toBe(0);
    const next = await describeLayout(ws.root);
    const run = await clone.nx(
      ['run', 'hello:image', '--engine=docker', '--outputStyle=static'],
      BUILDX,
    );
    expect(run.exitCode, run.output).toBe(0);
    const again = await describeLayout(clone.root);
    const epoch = epochOf(run.output);
    expect(epochOf(first.output)).toBe(epoch);
    expect(epoch).toBeGreaterThan(epochOf(buildxRun.output));
    // Every entry of every layer carries this commit's epoch, whatever the builder reused.
    for (const image of [...next.images, ...again.images])
      expect(image.mtimes, image.platform).toEqual([epoch]);
    const differing = again.images
      .map((image, i) => {
        const other = next.images[i]!;
        return `${image.platform}: config ${image.config === other.config ? 'same' : 'differs'}, layers ${JSON.stringify(image.layers) === JSON.stringify(other.layers) ? 'same' : 'differ'}, times ${image.mtimes.join(',')} and ${other.mtimes.join(',')}`;
      })
      .join('\n');
    expect(again.digest, `${differing}\n${run.output}`).toBe(next.digest);
    expect(next.digest).not.toBe(docker.digest);
  }, 600_000);

  it('hands off: nx run hello:context, then the user runs docker buildx build --push in dist/context/hello, and docker run --platform prints each architecture', async () => {
    const ref = `${SHARED_REGISTRY}/buildx-e2e-${randomBytes(3).toString('hex')}/hello:1.0.0`;
    const written = await ws.nx(['run', 'hello:context', '--outputStyle=static']);
    expect(written.exitCode, written.output).toBe(0);
    const context = join(ws.root, 'dist/context/hello');
    const build = await buildx(
      ['build', '--platform=linux/amd64,linux/arm64', '-t', ref, '--push', '.'],
      context,
    );
    expect(build.exitCode, build.all).toBe(0);
    for (const platform of ['linux/arm64', 'linux/amd64']) {
      const run = await execa('docker', ['run', '--rm', '--platform', platform, ref, '--version']);
      pulled.push(ref);
      const info = JSON.parse(run.stdout.trim().split('\n').pop()!);
      console.log(`docker run --platform ${platform} ${ref} --version: arch ${info.arch}`);
      expect(`${info.os}/${info.arch}`).toBe(platform);
      // The next platform must be pulled afresh, not taken from the local tag.
      await execa(TEST_DOCKER, ['rmi', ref], { reject: false });
    }
  }, 300_000);

  it('CI cells build their platform through buildx and push by digest; the merged index runs on every platform', async () => {
    registry = await startRegistry();
    const cells = clone!;
    editImageOptions(cells.root, 'apps/hello', (options) => ({
      ...options,
      platforms: ['linux/amd64', 'linux/arm64'],
      engine: 'docker',
    }));
    await cells.git(['commit', '-qam', 'hello: engine docker, two platforms']);
    for (const slug of ['linux-amd64', 'linux-arm64']) {
      const run = await cells.nx(
        ['run', `hello:push--${slug}`, `--registry=${registry.host}`, '--outputStyle=static'],
        BUILDX,
      );
      expect(run.exitCode, run.output).toBe(0);
      expect(run.output).toContain('driver remote, BuildKit v0.34.2): one multi-platform build');
    }
    const merge = await execa(
      'node',
      [
        join(cells.root, 'tools/crossdock/bin/crossdock.js'),
        'merge',
        'hello',
        `--digests=${join(cells.root, 'dist/digests/hello')}`,
        `--registry=${registry.host}`,
      ],
      { cwd: cells.root, reject: false, all: true, env: { NX_DAEMON: 'false', ...BUILDX } },
    );
    expect(merge.exitCode, merge.all).toBe(0);
    const ref = `${registry.host}/hello:latest`;
    for (const platform of ['linux/arm64', 'linux/amd64']) {
      const run = await execa(TEST_DOCKER, [
        'run',
        '--rm',
        '--pull',
        'always',
        '--platform',
        platform,
        ref,
        '--version',
      ]);
      pulled.push(ref);
      const info = JSON.parse(run.stdout.trim().split('\n').pop()!);
      expect(`${info.os}/${info.arch}`).toBe(platform);
      await execa(TEST_DOCKER, ['rmi', ref], { reject: false });
    }
  }, 600_000);

  it("builds the hermetic Dockerfile on the same builder with no RUN on the target platform (the builder's own log)", async () => {
    const goImage = (await execa(join(REPO_ROOT, 'tools/scripts/build-go-image.sh'), [])).stdout
      .trim()
      .split('\n')
      .pop()!;
    const ws2 = clone!;
    editImageOptions(ws2.root, 'apps/hello', (options) => ({
      ...options,
      platforms: ['linux/amd64', 'linux/arm64'],
      engine: 'docker',
      dockerfile: 'hermetic',
      goImage,
    }));
    const run = await ws2.nx(['run', 'hello:image', '--outputStyle=static'], BUILDX);
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).toContain('driver remote, BuildKit v0.34.2): one multi-platform build');
    // The engine reads BuildKit's own progress log: each step is named with the platform it
    // runs on, `[linux/amd64->arm64 build 4/4] RUN …` for an arm64 target built on amd64; a
    // `[linux/arm64 …] RUN` step would be emulated.
    const line = run.output.split('\n').find((l) => l.includes('[hello] BuildKit ran '));
    expect(line, run.output).toMatch(
      /^\[hello\] BuildKit ran 2 RUN step\(s\), all on the builder's own linux\/amd64: \[linux\/amd64(\/v\d)? build \d\/\d\], \[linux\/amd64(\/v\d)?->arm64 build \d\/\d\]; nothing was emulated$/,
    );
    const dockerfile = readFileSync(join(ws2.root, 'dist/context/hello/Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`FROM --platform=$BUILDPLATFORM ${goImage} AS build`);
  }, 900_000);
});

/** The SOURCE_DATE_EPOCH the engine gave buildx, from its log line. */
function epochOf(output: string): number {
  const match = /buildx: SOURCE_DATE_EPOCH=(\d+) /.exec(output);
  if (!match) throw new Error(`no SOURCE_DATE_EPOCH line in:\n${output}`);
  return Number(match[1]);
}
