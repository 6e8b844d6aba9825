import { posix } from 'node:path';
import { BUILD_PLATFORM, cacheMount, type Dockerfile } from '@crossdock/dockerfile';
import { makePlatform, zigTarget, type CLibrary, type Platform } from '@crossdock/platform';
import { cgoLinkFlags } from '../go/cgo/c-toolchain';
import { goBuildArgs } from '../go/compile/go-build';
import { finalStageInstructions, ROOTFS_COPY } from './generated-dockerfile';
import { BINARY_DIR } from './rootfs-files';
import type { ImagePlan } from './plan';
import { shellWord } from '../support/process/shell-word';

/** Directory of a hermetic build context holding the Go sources, laid out as in the workspace. */
export const CONTEXT_SOURCES = 'src';

/** Where the Go build and module caches live in the build stage (BuildKit cache mounts). */
export const GO_BUILD_CACHE = '/root/.cache/go-build';
export const GO_MOD_CACHE = '/go/pkg/mod';
/** zig's global cache in a cgo build stage (a BuildKit cache mount): its C library per target, built once. */
export const ZIG_CACHE = '/root/.cache/zig';

/** The C part of a hermetic cgo build: zig (on the goImage's PATH) for each platform of the image. */
export interface HermeticCgo {
  readonly libc: CLibrary;
  readonly cgoCflags: readonly string[];
  readonly cgoLdflags: readonly string[];
  /** The image's platforms: the build command picks the zig target of $TARGETPLATFORM among them. */
  readonly platforms: readonly Platform[];
}

/** What the hermetic build stage needs besides the plan. */
export interface HermeticBuild {
  /** The Go toolchain image of the build stage (it runs on $BUILDPLATFORM). */
  readonly goImage: string;
  /** The project's root relative to the workspace root (`apps/hello`), where `go build` runs. */
  readonly projectRoot: string;
  /** The main package relative to the project root (`.`, `./cmd/server`). */
  readonly main: string;
  readonly version: string;
  readonly ldflags: readonly string[];
  readonly buildTags: readonly string[];
  /** With cgo: compile C with the zig of the goImage (a Go+zig builder image). */
  readonly cgo?: HermeticCgo;
}

/** Quotes a word for sh when it needs it (the plugin's one helper, re-exported for the Dockerfile's readers). */
export { shellWord };

/**
 * The shell command of the build stage: the target's GOOS/GOARCH from BuildKit's TARGET*
 * args, GOARM from TARGETVARIANT for arm (`v7` → `7`), GOAMD64 from it for amd64 (v1 when
 * none), CGO off, the toolchain pinned to the image's (GOTOOLCHAIN=local), and the same
 * `go build` arguments as the host compile (-trimpath, -buildvcs=false, the ldflags).
 */
export function hermeticBuildCommand(build: HermeticBuild, binaryName: string): string {
  const args = goBuildArgs({
    // The platform only matters to goBuildEnv; the arguments are the same for every target.
    platform: makePlatform('linux', 'amd64'),
    main: build.main,
    output: `/out/${binaryName}`,
    version: build.version,
    ldflags: build.cgo ? [...build.ldflags, ...cgoLinkFlags(build.cgo.libc)] : build.ldflags,
    buildTags: build.buildTags,
    cgo: false,
  });
  const go = `go ${args.map(shellWord).join(' ')}`;
  const isa =
    'case "$TARGETARCH" in arm) export GOARM="${TARGETVARIANT#v}" ;; amd64) export GOAMD64="${TARGETVARIANT:-v1}" ;; esac';
  if (build.cgo === undefined) {
    return [
      isa,
      `GOOS="$TARGETOS" GOARCH="$TARGETARCH" CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS= GOCACHE=${GO_BUILD_CACHE} GOMODCACHE=${GO_MOD_CACHE} ${go}`,
    ].join(' && ');
  }
  const { libc, cgoCflags, cgoLdflags, platforms } = build.cgo;
  // The zig target of each platform of the image, from libs/platform; any other is an error.
  const arms = platforms.map(
    (p) =>
      `${p.architecture}/${p.variant ?? ''}) ZT=${shellWord(zigTarget(p, libc).args.join(' '))} ;;`,
  );
  const flags = [
    ...(cgoCflags.length > 0
      ? [
          `CGO_CFLAGS=${shellWord(cgoCflags.join(' '))}`,
          `CGO_CXXFLAGS=${shellWord(cgoCflags.join(' '))}`,
        ]
      : []),
    ...(cgoLdflags.length > 0 ? [`CGO_LDFLAGS=${shellWord(cgoLdflags.join(' '))}`] : []),
  ];
  return [
    isa,
    `case "$TARGETARCH/$TARGETVARIANT" in ${arms.join(' ')} *) echo "crossdock: no zig target for $TARGETARCH/$TARGETVARIANT" >&2; exit 1 ;; esac`,
    `GOOS="$TARGETOS" GOARCH="$TARGETARCH" CGO_ENABLED=1 CC="zig cc $ZT" CXX="zig c++ $ZT" ${flags.map((f) => `${f} `).join('')}ZIG_GLOBAL_CACHE_DIR=${ZIG_CACHE} ZIG_LOCAL_CACHE_DIR=${ZIG_CACHE} ` +
      `GOTOOLCHAIN=local GOFLAGS= GOCACHE=${GO_BUILD_CACHE} GOMODCACHE=${GO_MOD_CACHE} ${go}`,
  ].join(' && ');
}

/**
 * The hermetic Dockerfile of a plan: Go compiles inside BuildKit instead of on the host. The
 * `build` stage runs on $BUILDPLATFORM and cross-compiles for the target with cache mounts
 * for the build and module caches; the `rootfs` stage (also $BUILDPLATFORM) gathers the
 * binary and the shared files; the final stage on the target platform only copies that tree
 * and sets the config. No RUN executes on the target platform, so nothing is emulated.
 */
export function generateHermeticDockerfile(
  plan: ImagePlan,
  from: string,
  build: HermeticBuild,
): Dockerfile {
  const workdir = posix.join('/src', build.projectRoot);
  return {
    header: [
      `generated by crossdock for ${plan.project} (hermetic: Go compiles inside BuildKit); edit the project's options, not this file`,
      `build: docker build --platform <os/arch[/variant]> .   (any platform Go supports; the build stage runs on the build platform)`,
    ],
    stages: [
      {
        from: build.goImage,
        platform: BUILD_PLATFORM,
        name: 'build',
        instructions: [
          { kind: 'arg', name: 'TARGETOS' },
          { kind: 'arg', name: 'TARGETARCH' },
          { kind: 'arg', name: 'TARGETVARIANT' },
          { kind: 'copy', sources: [`${CONTEXT_SOURCES}/`], dest: '/src/' },
          { kind: 'workdir', path: workdir },
          {
            kind: 'run',
            command: hermeticBuildCommand(build, plan.binaryName),
            mounts: [
              cacheMount(GO_BUILD_CACHE),
              cacheMount(GO_MOD_CACHE),
              ...(build.cgo ? [cacheMount(ZIG_CACHE)] : []),
            ],
          },
        ],
      },
      {
        from: 'scratch',
        platform: BUILD_PLATFORM,
        name: 'rootfs',
        instructions: [
          {
            kind: 'copy',
            from: 'build',
            sources: [`/out/${plan.binaryName}`],
            dest: `/${BINARY_DIR}/${plan.binaryName}`,
          },
          ROOTFS_COPY,
        ],
      },
      { from, instructions: finalStageInstructions(plan) },
    ],
  };
}

/**
 * The hermetic build of a project from its options: `{goVersion}` in goImage becomes the
 * go directive of the project's go.mod. Throws when the template cannot be filled.
 */
export function hermeticBuildOf(
  project: string,
  options: {
    readonly goImage: string;
    readonly main: string;
    readonly version: string;
    readonly ldflags: readonly string[];
    readonly buildTags: readonly string[];
    readonly cgo?: boolean;
    readonly libc?: CLibrary;
    readonly cgoCflags?: readonly string[];
    readonly cgoLdflags?: readonly string[];
    readonly platforms?: readonly Platform[];
  },
  projectRoot: string,
  goVersion: string | undefined,
): HermeticBuild {
  if (options.goImage.includes('{goVersion}') && goVersion === undefined) {
    throw new Error(
      `${project}: option goImage "${options.goImage}" uses {goVersion}, but the go.mod of ${projectRoot} has no go directive; set goImage to an image reference`,
    );
  }
  return {
    goImage: options.goImage.replaceAll('{goVersion}', goVersion ?? ''),
    projectRoot,
    main: options.main,
    version: options.version,
    ldflags: options.ldflags,
    buildTags: options.buildTags,
    ...(options.cgo
      ? {
          cgo: {
            libc: options.libc ?? 'musl',
            cgoCflags: options.cgoCflags ?? [],
            cgoLdflags: options.cgoLdflags ?? [],
            platforms: options.platforms ?? [],
          },
        }
      : {}),
  };
}
