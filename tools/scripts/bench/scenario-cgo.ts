import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  chmodSync,
  cpSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePlatform, zigTarget } from '@crossdock/platform';
import type { Runner } from '../../crossdock/src/process/runner';
import { cgoLinkFlags } from '../../crossdock/src/cgo/c-toolchain';
import { ZIG_VERSION, ZIG_WHEEL_HASHES } from '../../crossdock/src/cgo/zig';
import { goBuildArgs } from '../../crossdock/src/build/go-build';
import { createBenchWorkspace } from './bench-workspace';
import { readAppBuild, shellQuote, specFor } from './go-flags';
import { DOCKER, DOCKER_ENV, ensureGolangImage } from './golang-images';
import { writeNaiveContext } from './naive-build';
import type { Sample } from './stats';
import { interleaved, timeCommand, type Log } from './timing';
import { ensureToolchain } from './toolchain';

/** What the cgo scenario measured: crossdock's cold pipeline and the emulated docker build of apps/notes for one platform. */
export interface CgoResult {
  readonly platform: string;
  readonly crossdock: Sample;
  readonly emulated: Sample;
  /** The emulated build's base image (busybox + the platform's Go + the platform's zig). */
  readonly emulatedImage: string;
  /** Whether the emulated side's zig cache held the target's libc before the timed runs (seeded from the host's zig cache). */
  readonly emulatedZigCacheSeeded: boolean;
}

/** Where the target platform's own zig (the aarch64 wheel, for the emulated side) is kept. */
const FOREIGN_ZIG = `/var/cache/crossdock/bench/zig-${ZIG_VERSION}-linux-arm64`;
const APP = 'notes';

/**
 * crossdock against the emulated cgo build of apps/notes for linux/arm64:
 * - crossdock: `nx run notes:image --skip-nx-cache` in a workspace copy (notes built for
 *   linux/arm64 only), empty GOCACHE, zig's cache warm (the machine's, as in CI after setup).
 * - emulated: `docker build --platform linux/arm64 --no-cache` of a Dockerfile whose build
 *   stage (the target platform, so under QEMU) has Go and a C compiler (zig ${ZIG_VERSION}
 *   for linux/arm64: the same compiler and flags, running emulated) and runs the same
 *   `go build`, with an empty GOCACHE. Its image carries a copy of the host's zig cache, which
 *   the aarch64 zig does not reuse: the emulated run also builds zig's musl, under QEMU.
 */
export async function runCgo(
  runner: Runner,
  options: {
    runs: number;
    goVersion: string;
    hostGoroot: string;
    baseImage: string;
    registry: string;
    log: Log;
  },
): Promise<CgoResult> {
  const platform = 'linux/arm64';
  const toolchain = await ensureToolchain(runner, {
    version: options.goVersion,
    arch: 'arm64',
    hostGoroot: options.hostGoroot,
    log: options.log,
  });
  const golang = await ensureGolangImage(runner, {
    base: options.baseImage,
    repository: `${options.registry}/crossdock-bench/golang`,
    platforms: [{ platform, toolchain }],
    log: options.log,
  });
  await ensureForeignZig(runner, options.log);
  const emulatedImage = `crossdock-bench/golang-zig:${options.goVersion.replace(/^go/, '')}-zig${ZIG_VERSION}-linux-arm64`;
  const workspace = await createBenchWorkspace(runner, { withCgo: true });
  try {
    workspace.setPlatforms(APP, [platform]);
    // Untimed: brings zig's libc for the target into the host's zig cache, and checks the build works.
    await workspace.nx(['run', `${APP}:image`, '--skip-nx-cache'], workspace.newGoCache());
    await buildEmulatedImage(runner, golang.perPlatform[platform]!, emulatedImage, options.log);

    const app = readAppBuild(workspace.root, APP);
    const target = zigTarget(parsePlatform(platform), 'musl').args.join(' ');
    const spec = {
      ...specFor(app, platform, `/out/${APP}`, `./apps/${APP}`),
      ldflags: [...app.ldflags, ...cgoLinkFlags('musl')],
    };
    const args = goBuildArgs(spec);
    const dockerfile = [
      `FROM ${emulatedImage} AS build`,
      'COPY . /src',
      'WORKDIR /src',
      `RUN CGO_ENABLED=1 CC=${shellQuote(`zig cc ${target}`)} CXX=${shellQuote(`zig c++ ${target}`)} GOFLAGS=-mod=vendor GOCACHE=/tmp/gocache go ${args.map(shellQuote).join(' ')}`,
      'FROM scratch',
      `COPY --from=build /out/${APP} /usr/local/bin/${APP}`,
      `ENTRYPOINT ["/usr/local/bin/${APP}"]`,
      '',
    ].join('\n');
    const context = writeNaiveContext(workspace.root, dockerfile);
    // The emulated build must not download modules: vendor them into the context (untimed).
    await runner.run('go', ['mod', 'vendor'], { cwd: context.dir, timeoutMs: 10 * 60_000 });
    try {
      const samples = await interleaved(
        options.runs,
        {
          crossdock: async () => {
            workspace.clearOutputs();
            return workspace.nx(['run', `${APP}:image`, '--skip-nx-cache'], workspace.newGoCache());
          },
          emulated: async () =>
            timeCommand(runner, {
              command: DOCKER,
              args: [
                'build',
                '--platform',
                platform,
                '--no-cache',
                '--progress=plain',
                '-t',
                `crossdock-bench/naive-${APP}:linux-arm64`,
                context.dir,
              ],
              options: { env: DOCKER_ENV, timeoutMs: 3 * 60 * 60_000 },
            }),
        },
        options.log,
        `cgo ${platform}`,
      );
      // Measured on 2026-12-04: the aarch64 zig does not reuse the x86_64 zig's cache entries, so
      // the emulated run builds musl under QEMU as well.
      return {
        platform,
        crossdock: samples.crossdock,
        emulated: samples.emulated,
        emulatedImage,
        emulatedZigCacheSeeded: false,
      };
    } finally {
      context.remove();
    }
  } finally {
    workspace.remove();
  }
}

/** The linux/arm64 zig (PyPI's aarch64 wheel, hash-checked) unpacked into FOREIGN_ZIG, once. */
async function ensureForeignZig(runner: Runner, log: Log): Promise<void> {
  if (existsSync(join(FOREIGN_ZIG, 'zig'))) return;
  const work = mkdtempSync(join(tmpdir(), 'crossdock-bench-zig-'));
  try {
    log(`cgo: downloading the linux/arm64 zig ${ZIG_VERSION} wheel for the emulated build`);
    writeFileSync(
      join(work, 'req.txt'),
      `ziglang==${ZIG_VERSION} ${ZIG_WHEEL_HASHES.map((h) => `--hash=sha256:${h}`).join(' ')}\n`,
    );
    await runner.run(
      'python3',
      [
        '-m',
        'pip',
        'download',
        '--quiet',
        '--no-deps',
        '--only-binary=:all:',
        '--platform',
        'manylinux2014_aarch64',
        '--require-hashes',
        '-r',
        join(work, 'req.txt'),
        '-d',
        join(work, 'wheel'),
      ],
      { timeoutMs: 15 * 60_000 },
    );
    const wheel = readdirSync(join(work, 'wheel')).find((name) => name.endsWith('.whl'))!;
    await runner.run(
      'python3',
      ['-m', 'zipfile', '-e', join(work, 'wheel', wheel), join(work, 'x')],
      { timeoutMs: 15 * 60_000 },
    );
    chmodSync(join(work, 'x/ziglang/zig'), 0o755);
    mkdirSync(join(FOREIGN_ZIG, '..'), { recursive: true });
    renameSync(join(work, 'x/ziglang'), FOREIGN_ZIG);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The emulated side's base: the linux/arm64 golang bench image + that zig at /usr/local/zig + the host's zig cache (a local image). */
async function buildEmulatedImage(
  runner: Runner,
  golang: string,
  tag: string,
  log: Log,
): Promise<void> {
  const context = mkdtempSync(join(tmpdir(), 'crossdock-bench-golang-zig-'));
  try {
    log(`cgo: building ${tag} (FROM ${golang} + zig + the host's zig cache)`);
    cpSync(FOREIGN_ZIG, join(context, 'zig'), { recursive: true });
    cpSync('/var/cache/crossdock/zig-cache', join(context, 'zig-cache'), {
      recursive: true,
      filter: (source) => !source.endsWith('/tmp'),
    });
    writeFileSync(
      join(context, 'Dockerfile'),
      [
        `FROM ${golang}`,
        'COPY zig /usr/local/zig',
        'COPY zig-cache /root/.cache/zig',
        'ENV PATH=/usr/local/zig:/usr/local/go/bin:/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin ZIG_GLOBAL_CACHE_DIR=/root/.cache/zig ZIG_LOCAL_CACHE_DIR=/root/.cache/zig',
        '',
      ].join('\n'),
    );
    await runner.run(DOCKER, ['build', '--platform', 'linux/arm64', '-t', tag, context], {
      env: DOCKER_ENV,
      timeoutMs: 30 * 60_000,
    });
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}
