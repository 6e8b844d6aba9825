import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platformSlug, parsePlatform } from '@crossdock/platform';
import { goBuildArgs } from '../../crossdock/src/go/compile/go-build';
import { shellQuote, specFor, type AppBuild } from './go-flags';
import { DOCKER, DOCKER_ENV } from './golang-images';
import type { Command } from './timing';
import type { Toolchain } from './toolchain';

/** The files of the workspace a Go build of an app needs (the module and every Go package), copied into a build context. */
export const GO_SOURCES = ['go.mod', 'go.sum', 'apps', 'libs/go'] as const;

/**
 * The naive emulated build, as a Dockerfile: the build stage runs on the target platform
 * (no --platform=$BUILDPLATFORM), so `go build` runs under QEMU; the final stage copies
 * the binary into scratch. The go build arguments are crossdock's, so both sides compile
 * the same thing with the same flags.
 */
export function naiveDockerfile(golangImage: string, app: AppBuild): string {
  const args = goBuildArgs(
    specFor(app, 'linux/amd64', `/out/${app.project}`, `./apps/${app.project}`),
  );
  return [
    `FROM ${golangImage} AS build`,
    'COPY . /src',
    'WORKDIR /src',
    `RUN CGO_ENABLED=0 GOCACHE=/tmp/gocache go ${args.map(shellQuote).join(' ')}`,
    'FROM scratch',
    `COPY --from=build /out/${app.project} /usr/local/bin/${app.project}`,
    `ENTRYPOINT ["/usr/local/bin/${app.project}"]`,
    '',
  ].join('\n');
}

/** A build context for the naive build: the Go sources of the workspace and the naive Dockerfile. */
export interface NaiveContext {
  readonly dir: string;
  remove(): void;
}

/** Copies the Go sources of `workspaceRoot` into a fresh context directory and writes the Dockerfile beside them. */
export function writeNaiveContext(workspaceRoot: string, dockerfile: string): NaiveContext {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-bench-naive-'));
  for (const entry of GO_SOURCES)
    cpSync(join(workspaceRoot, entry), join(dir, entry), { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  writeFileSync(join(dir, '.dockerignore'), 'Dockerfile\n.dockerignore\n');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `docker build --platform P --no-cache` of the naive context: the emulated build, one platform, nothing reused. */
export function naiveDockerBuild(
  context: NaiveContext,
  platform: string,
  project: string,
): Command {
  const tag = `crossdock-bench/naive-${project}:${platformSlug(parsePlatform(platform))}`;
  return {
    command: DOCKER,
    args: [
      'build',
      '--platform',
      platform,
      '--no-cache',
      '--progress=plain',
      '-t',
      tag,
      context.dir,
    ],
    options: { env: DOCKER_ENV, timeoutMs: 2 * 60 * 60_000 },
  };
}

/**
 * The fallback when Docker cannot run the naive build: the foreign toolchain's own
 * `go build`, started directly (binfmt hands it and every compile/link child to
 * qemu-user-static), in a copy of the sources, with an empty GOCACHE.
 */
export function directQemuBuild(
  context: NaiveContext,
  toolchain: Toolchain,
  app: AppBuild,
  platform: string,
  goCache: string,
  outDir: string,
): Command {
  mkdirSync(outDir, { recursive: true });
  const args = goBuildArgs(
    specFor(app, platform, join(outDir, app.project), `./apps/${app.project}`),
  );
  const variant = parsePlatform(platform).variant;
  const goarm =
    parsePlatform(platform).architecture === 'arm' && variant !== undefined
      ? { GOARM: variant.replace(/^v/, '') }
      : {};
  return {
    command: join(toolchain.goroot, 'bin', 'go'),
    args,
    options: {
      cwd: context.dir,
      env: {
        GOROOT: toolchain.goroot,
        GOCACHE: goCache,
        CGO_ENABLED: '0',
        GOTOOLCHAIN: 'local',
        GOOS: undefined,
        GOARCH: undefined,
        ...goarm,
      },
      timeoutMs: 2 * 60 * 60_000,
    },
  };
}
