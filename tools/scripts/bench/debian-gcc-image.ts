import {
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runner } from '../../crossdock/src/support/process/runner';
import { DOCKER, DOCKER_ENV } from './golang-images';
import type { Log } from './timing';
import type { Toolchain } from './toolchain';

/** Where the benchmark keeps what takes minutes to make (the Debian root file systems). */
const BENCH_CACHE = '/var/cache/crossdock/bench';
const SUITE = 'bookworm';
const MIRROR = 'http://deb.debian.org/debian';

/**
 * A Debian `bookworm` root file system for linux/arm64 with gcc and libc6-dev, as a tar in the
 * benchmark cache: what `golang:bookworm` gives a cgo build (Debian's gcc, glibc headers).
 * Made once by mmdebstrap (its foreign maintainer scripts run under qemu-user; minutes).
 */
export async function ensureDebianGccRootfs(runner: Runner, log: Log): Promise<string> {
  const tar = join(BENCH_CACHE, `debian-${SUITE}-gcc-arm64.tar`);
  if (existsSync(tar)) return tar;
  mkdirSync(BENCH_CACHE, { recursive: true });
  // mmdebstrap picks the output format from the name: keep `.tar` at the end.
  const partial = tar.replace(/\.tar$/, '.partial.tar');
  rmSync(partial, { force: true });
  log(`cgo: making ${tar} with mmdebstrap (gcc, libc6-dev for arm64; minutes, once)`);
  await runner.run(
    'mmdebstrap',
    ['--arch=arm64', '--variant=apt', '--include=gcc,libc6-dev', SUITE, partial, MIRROR],
    { timeoutMs: 60 * 60_000 },
  );
  // Only a finished tar gets the real name: an interrupted run leaves nothing to trust.
  renameSync(partial, tar);
  return tar;
}

/**
 * A local image `golang:bookworm`-like for linux/arm64: the Debian root file system with gcc,
 * the linux/arm64 Go toolchain at /usr/local/go, the official image's PATH and GOPATH. Made
 * without a RUN step (nothing emulated while preparing); skipped when the tag exists.
 */
export async function ensureGolangGccImage(
  runner: Runner,
  options: { rootfs: string; toolchain: Toolchain; log: Log },
): Promise<string> {
  const tag = `crossdock-bench/golang-gcc:${options.toolchain.version.replace(/^go/, '')}-${SUITE}-linux-arm64`;
  const present = await runner.run(DOCKER, ['image', 'inspect', tag], {
    env: DOCKER_ENV,
    allowFailure: true,
    timeoutMs: 60_000,
  });
  if (present.exitCode === 0) return tag;
  const context = mkdtempSync(join(tmpdir(), 'crossdock-bench-golang-gcc-'));
  try {
    options.log(`cgo: building ${tag} (Debian ${SUITE} with gcc + ${options.toolchain.version})`);
    try {
      linkSync(options.rootfs, join(context, 'rootfs.tar'));
    } catch {
      cpSync(options.rootfs, join(context, 'rootfs.tar'));
    }
    cpSync(options.toolchain.goroot, join(context, 'go'), { recursive: true });
    writeFileSync(
      join(context, 'Dockerfile'),
      [
        'FROM scratch',
        'ADD rootfs.tar /',
        'COPY go /usr/local/go',
        'ENV PATH=/usr/local/go/bin:/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin GOPATH=/go GOTOOLCHAIN=local',
        'WORKDIR /go',
        '',
      ].join('\n'),
    );
    await runner.run(DOCKER, ['build', '--platform', 'linux/arm64', '-t', tag, context], {
      env: DOCKER_ENV,
      timeoutMs: 30 * 60_000,
    });
    return tag;
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}
