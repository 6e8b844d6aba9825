import { parsePlatform, zigTarget } from '@crossdock/platform';
import type { Runner } from '../../crossdock/src/support/process/runner';
import { cgoLinkFlags } from '../../crossdock/src/go/cgo/c-toolchain';
import { goBuildArgs } from '../../crossdock/src/go/compile/go-build';
import { createBenchWorkspace } from './bench-workspace';
import { ensureDebianGccRootfs, ensureGolangGccImage } from './debian-gcc-image';
import { readAppBuild, shellQuote, specFor } from './go-flags';
import { DOCKER, DOCKER_ENV } from './golang-images';
import { writeNaiveContext } from './naive-build';
import type { Sample } from './stats';
import { interleaved, timeCommand, type Log } from './timing';
import { ensureToolchain } from './toolchain';

/** What the cgo scenario measured: crossdock's cold pipeline and the emulated docker build of apps/notes for one platform. */
export interface CgoResult {
  readonly platform: string;
  readonly crossdock: Sample;
  readonly emulated: Sample;
  /** The emulated build's base image (Debian with gcc + the platform's Go: a `golang:bookworm`). */
  readonly emulatedImage: string;
  /** crossdock's C compiler target, as passed to zig (`-target aarch64-linux-musl`). */
  readonly zigTarget: string;
}

const APP = 'notes';

/**
 * crossdock against the emulated cgo build of apps/notes for linux/arm64:
 * - crossdock: `nx run notes:image --skip-nx-cache` in a workspace copy (notes built for
 *   linux/arm64 only), empty GOCACHE, zig's cache warm (the machine's, as in CI after setup).
 * - emulated: `docker build --platform linux/arm64 --no-cache` of the Dockerfile a team
 *   writes without crossdock: the build stage is a `golang:bookworm` for the target (Debian's
 *   gcc and glibc, the target's Go), so go, cgo and gcc run under QEMU, with an empty GOCACHE
 *   and the same go build flags and static link as crossdock's.
 */
export async function runCgo(
  runner: Runner,
  options: { runs: number; goVersion: string; hostGoroot: string; log: Log },
): Promise<CgoResult> {
  const platform = 'linux/arm64';
  const toolchain = await ensureToolchain(runner, {
    version: options.goVersion,
    arch: 'arm64',
    hostGoroot: options.hostGoroot,
    log: options.log,
  });
  const rootfs = await ensureDebianGccRootfs(runner, options.log);
  const emulatedImage = await ensureGolangGccImage(runner, { rootfs, toolchain, log: options.log });
  const workspace = await createBenchWorkspace(runner, { withCgo: true });
  try {
    workspace.setPlatforms(APP, [platform]);
    // Untimed: brings zig's libc for the target into the host's zig cache, and checks the build works.
    await workspace.nx(['run', `${APP}:image`, '--skip-nx-cache'], workspace.newGoCache());

    const app = readAppBuild(workspace.root, APP);
    const spec = {
      ...specFor(app, platform, `/out/${APP}`, `./apps/${APP}`),
      ldflags: [...app.ldflags, ...cgoLinkFlags('musl')],
    };
    const dockerfile = [
      `FROM ${emulatedImage} AS build`,
      'COPY . /src',
      'WORKDIR /src',
      `RUN CGO_ENABLED=1 CC=gcc GOFLAGS=-mod=vendor GOCACHE=/tmp/gocache go ${goBuildArgs(spec).map(shellQuote).join(' ')}`,
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
      return {
        platform,
        crossdock: samples.crossdock,
        emulated: samples.emulated,
        emulatedImage,
        zigTarget: zigTarget(parsePlatform(platform), 'musl').args.join(' '),
      };
    } finally {
      context.remove();
    }
  } finally {
    workspace.remove();
  }
}
