import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runner } from '../../crossdock/src/support/process/runner';
import { createBenchWorkspace } from './bench-workspace';
import { readAppBuild } from './go-flags';
import { DOCKER, DOCKER_ENV, ensureGolangImage } from './golang-images';
import {
  directQemuBuild,
  naiveDockerBuild,
  naiveDockerfile,
  writeNaiveContext,
} from './naive-build';
import type { EmulationResult, EmulationRow } from './results';
import { interleaved, timeCommand, type Log } from './timing';
import { ensureToolchain, type Toolchain, type ToolchainArch } from './toolchain';

/** What the emulation scenario needs from main. */
export interface EmulationOptions {
  readonly runs: number;
  /** Target platforms, in row order; linux/amd64 is the native reference. */
  readonly platforms: readonly string[];
  readonly goVersion: string;
  readonly hostGoroot: string;
  readonly baseImage: string;
  readonly registry: string;
  readonly log: Log;
}

/** The Go distribution of each benchmarked platform (arm/v7 runs the armv6l toolchain, as the official golang image does). */
const DISTRIBUTIONS: Readonly<
  Record<string, { arch: ToolchainArch; env?: Record<string, string> }>
> = {
  'linux/amd64': { arch: 'amd64' },
  'linux/arm64': { arch: 'arm64' },
  'linux/arm/v7': { arch: 'armv6l', env: { GOARM: '7' } },
};

const APP = 'hello';

/**
 * crossdock against the naive emulated build of hello, one platform at a time, both cold:
 * crossdock = `nx run hello:image --skip-nx-cache` in a workspace copy whose hello builds
 * only that platform, with an empty GOCACHE and no dist/ (cross-compile + image assembly,
 * the real pipeline); emulated = `docker build --platform P --no-cache` of the naive
 * Dockerfile (go build in a target-platform stage, under QEMU for foreign platforms).
 */
export async function runEmulation(
  runner: Runner,
  options: EmulationOptions,
): Promise<EmulationResult> {
  const toolchains: Toolchain[] = [];
  for (const platform of options.platforms) {
    const distribution = DISTRIBUTIONS[platform];
    if (distribution === undefined)
      throw new Error(
        `emulation benchmark: no Go distribution for ${platform}; use one of ${Object.keys(DISTRIBUTIONS).join(', ')}`,
      );
    toolchains.push(
      await ensureToolchain(runner, {
        version: options.goVersion,
        arch: distribution.arch,
        hostGoroot: options.hostGoroot,
        log: options.log,
      }),
    );
  }

  const workspace = await createBenchWorkspace(runner);
  const app = readAppBuild(workspace.root, APP);
  let method: EmulationResult['method'] = 'docker';
  let fallbackReason: string | undefined;
  let golangImage = '';
  try {
    const image = await ensureGolangImage(runner, {
      base: options.baseImage,
      repository: `${options.registry}/crossdock-bench/golang`,
      platforms: options.platforms.map((platform, i) => ({
        platform,
        toolchain: toolchains[i],
        env: DISTRIBUTIONS[platform].env,
      })),
      log: options.log,
    });
    golangImage = image.reference;
    for (const platform of options.platforms)
      await warmUp(runner, golangImage, platform, options.goVersion);
  } catch (error) {
    method = 'qemu-direct';
    fallbackReason = (error as Error).message.split('\n').slice(0, 6).join(' ');
    options.log(
      `emulation: the docker route failed, falling back to qemu-user directly: ${fallbackReason}`,
    );
  }

  const context = writeNaiveContext(workspace.root, naiveDockerfile(golangImage || 'golang', app));
  const rows: EmulationRow[] = [];
  try {
    for (const [i, platform] of options.platforms.entries()) {
      workspace.setPlatforms(APP, [platform]);
      await workspace.nx(['show', 'projects'], workspace.newGoCache());
      const samples = await interleaved(
        options.runs,
        {
          crossdock: async () => {
            workspace.clearOutputs();
            return workspace.nx(['run', `${APP}:image`, '--skip-nx-cache'], workspace.newGoCache());
          },
          emulated: async () => {
            if (method === 'docker')
              return timeCommand(runner, naiveDockerBuild(context, platform, APP));
            const goCache = mkdtempSync(join(tmpdir(), 'crossdock-bench-qemu-gocache-'));
            const out = mkdtempSync(join(tmpdir(), 'crossdock-bench-qemu-out-'));
            try {
              return await timeCommand(
                runner,
                directQemuBuild(context, toolchains[i], app, platform, goCache, out),
              );
            } finally {
              rmSync(goCache, { recursive: true, force: true });
              rmSync(out, { recursive: true, force: true });
            }
          },
        },
        options.log,
        `emulation ${platform}`,
      );
      rows.push({
        platform,
        native: platform === 'linux/amd64',
        crossdock: samples.crossdock,
        emulated: samples.emulated,
      });
    }
  } finally {
    context.remove();
    workspace.remove();
  }
  return {
    method,
    fallbackReason,
    golangImage,
    toolchains: toolchains.map((t) => ({ arch: t.arch, version: t.version, source: t.source })),
    rows,
  };
}

/** An untimed docker build that runs the image's `go version` on the platform: checks emulation works and brings the image into BuildKit's store. */
async function warmUp(
  runner: Runner,
  image: string,
  platform: string,
  goVersion: string,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-bench-warmup-'));
  try {
    writeFileSync(
      join(dir, 'Dockerfile'),
      `FROM ${image}\nRUN go version && go env GOARCH GOARM\n`,
    );
    const result = await runner.run(
      DOCKER,
      ['build', '--platform', platform, '--no-cache', '--progress=plain', dir],
      { env: DOCKER_ENV, timeoutMs: 20 * 60_000 },
    );
    if (
      !result.stderr.includes(`go version ${goVersion}`) &&
      !result.stdout.includes(`go version ${goVersion}`)
    ) {
      throw new Error(
        `docker build --platform ${platform} FROM ${image}: go version did not print ${goVersion}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
