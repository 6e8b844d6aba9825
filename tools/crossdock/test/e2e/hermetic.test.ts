import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintDockerfileText } from '@crossdock/dockerfile';
import { readOciLayout, writeDockerArchive } from '@crossdock/oci-layout';
import { type ImageIndex } from '@crossdock/oci';
import {
  formatPlatform,
  parsePlatform,
  platformPath,
  platformSlug,
  type Platform,
} from '@crossdock/platform';
import { readImageFile } from '@crossdock/oci-layout';
import {
  copyWorkspace,
  REPO_ROOT,
  type WorkspaceCopy,
} from '../../../scripts/testing/workspace-copy';
import { dockerGate, TEST_DOCKER } from './docker-gate';
import { taskOutcomes } from './nx-output';
import { editImageOptions } from './workspace-edits';

// The hermetic Dockerfile: Go compiles inside BuildKit from the sources in the context, with
// a Go toolchain image built from this machine's Go (tools/scripts/build-go-image.sh; no
// public registry is reachable). hello for linux/amd64 and linux/arm64 with the docker engine,
// then both images run in Docker (arm64 under qemu through binfmt).
const PLATFORMS = ['linux/amd64', 'linux/arm64'].map(parsePlatform);
const gate = dockerGate('hermetic Dockerfile end to end', [
  'go',
  'git',
  'skopeo',
  'jq',
  'qemu-aarch64-static',
]);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

describe.skipIf(!gate.ok && !gate.ci)('hermetic Dockerfile with the docker engine', () => {
  let ws: WorkspaceCopy;
  let goImage = '';
  let imageRun: { exitCode: number; output: string };
  let index: ImageIndex;
  const scratch = mkdtempSync(join(tmpdir(), 'crossdock-hermetic-'));
  const loadedTags: string[] = [];

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    // Idempotent: a registry lookup and a cached BuildKit step when the image is there.
    goImage = (await execa(join(REPO_ROOT, 'tools/scripts/build-go-image.sh'), [])).stdout
      .trim()
      .split('\n')
      .pop()!;
    ws = await copyWorkspace();
    editImageOptions(ws.root, 'apps/hello', (options) => ({
      ...options,
      platforms: PLATFORMS.map(formatPlatform),
      engine: 'docker',
      dockerfile: 'hermetic',
      goImage,
    }));
    imageRun = await ws.nx(['run', 'hello:image', '--outputStyle=static']);
    if (imageRun.exitCode === 0)
      index = await (
        await readOciLayout(join(ws.root, 'dist/images/hello'))
      ).resolveIndex('latest');
  }, 600_000);
  afterAll(async () => {
    if (loadedTags.length > 0) await execa(TEST_DOCKER, ['rmi', ...loadedTags], { reject: false });
    ws?.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('builds without compiling on the host, and checks the binaries BuildKit built', () => {
    expect(imageRun.exitCode, imageRun.output).toBe(0);
    expect(taskOutcomes(imageRun.output).ran).toEqual(['hello:image']);
    expect(imageRun.output).toContain(
      `[hello] hermetic Dockerfile: go build runs inside BuildKit on the build platform (${goImage})`,
    );
    expect(imageRun.output).toContain(
      '[hello] preflight passed: 2 binaries built inside BuildKit have the right ELF machine and Go target',
    );
    expect(index.manifests.map((d) => formatPlatform(d.platform as Platform))).toEqual([
      'linux/amd64',
      'linux/arm64',
    ]);
  });

  it('writes a context of Go sources (no binaries) and a Dockerfile that passes the emulation lint', () => {
    const context = join(ws.root, 'dist/context/hello');
    const dockerfile = readFileSync(join(context, 'Dockerfile'), 'utf8');
    expect(lintDockerfileText(dockerfile)).toEqual([]);
    expect(dockerfile).toContain(`FROM --platform=$BUILDPLATFORM ${goImage} AS build`);
    expect(dockerfile).toContain('--mount=type=cache,target=/root/.cache/go-build');
    expect(existsSync(join(context, 'bin'))).toBe(false);
    for (const file of [
      'src/go.mod',
      'src/apps/hello/main.go',
      'src/libs/go/buildinfo/buildinfo.go',
      'src/libs/go/httpx/serve.go',
    ]) {
      expect(existsSync(join(context, file)), file).toBe(true);
    }
    expect(
      readdirSync(join(context, 'src/apps/hello')).filter((f) => f.endsWith('_test.go')),
    ).toEqual([]);
    expect(readdirSync(join(ws.root, 'dist/sbom/hello')).sort()).toEqual([
      'linux-amd64.spdx.json',
      'linux-arm64.spdx.json',
    ]);
  });

  it('compiles byte-identical binaries to the host compile (same Go, -trimpath, same flags)', async () => {
    const compile = await ws.nx([
      'run-many',
      '-t',
      ...PLATFORMS.map((p) => `compile--${platformSlug(p)}`),
      '-p',
      'hello',
      '--outputStyle=static',
    ]);
    expect(compile.exitCode, compile.output).toBe(0);
    for (const [i, platform] of PLATFORMS.entries()) {
      const inImage = await readImageFile(index.images[i]!, 'usr/local/bin/hello');
      const onHost = readFileSync(join(ws.root, 'dist/bin/hello', platformPath(platform), 'hello'));
      expect(inImage, `${formatPlatform(platform)} binary`).toBeDefined();
      expect(
        Buffer.from(inImage!).equals(onHost),
        `${formatPlatform(platform)}: the hermetic binary differs from the host-compiled one`,
      ).toBe(true);
    }
  });

  it.each(PLATFORMS.map((p) => [formatPlatform(p), p] as const))(
    '%s: docker runs the image and it reports its architecture',
    async (name, platform) => {
      const i = PLATFORMS.indexOf(platform);
      const tag = `crossdock-e2e-hermetic-${randomBytes(3).toString('hex')}/hello:${platformSlug(platform)}`;
      const archive = join(scratch, `${platformSlug(platform)}.tar`);
      await writeDockerArchive(archive, index.images[i]!, tag);
      await execa(TEST_DOCKER, ['load', '--input', archive]);
      loadedTags.push(tag);
      const output = (
        await execa(TEST_DOCKER, ['run', '--rm', '--platform', name, tag, '--version'])
      ).stdout;
      expect(JSON.parse(output)).toMatchObject({
        os: 'linux',
        arch: platform.architecture,
        version: '1.0.0',
      });
    },
  );
});
