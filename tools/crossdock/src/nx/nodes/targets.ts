import type { TargetConfiguration } from '@nx/devkit';
import { formatPlatform, platformPath, platformSlug } from '@crossdock/platform';
import type { CrossdockOptions } from '../../options/normalize-options';
import { baseInputs } from './base-inputs';
import { cToolchainInputs } from './c-toolchain-inputs';
import { compileTemplateInputs, imageTemplateInputs } from './template-inputs';
import { revisionInputs } from '../../image/revision';
import { ORIGIN_URL_COMMAND } from '../../support/workspace/git';
import { engineReadsContext } from '../../image/engines/select-engine';

/**
 * The executor of the compile--<platform> targets (with the option `step: "compile"`) and of
 * the image target: one executor, so Nx runs a project's compiles and its image in one batch.
 */
export const BUILD_EXECUTOR = '@crossdock/nx:build';

/** Where the context target (and the image target, with an engine that reads it) writes the build context. */
const CONTEXT_OUTPUT = '{workspaceRoot}/dist/context/{projectName}';

/** The prefix of the per-platform compile targets: `compile--linux-arm64`. */
export const COMPILE_PREFIX = 'compile--';
/** The prefix of the per-platform CI cell targets: `push--linux-arm64`. */
export const PUSH_CELL_PREFIX = 'push--';

/** Everything the targets of one Go app are made from. */
export interface AppTargetsInput {
  readonly projectRoot: string;
  /** The project's options exactly as configured (raw), passed through to the image executor. */
  readonly rawOptions: Readonly<Record<string, unknown>>;
  readonly options: CrossdockOptions;
  /** The inputs of each platform's compile, in the order of options.platforms (see compileInputs). */
  readonly compileInputs: readonly Inputs[];
  /**
   * Git pathspecs of the files the binaries are compiled from, whose last commit is the
   * image's revision (see image/revision.ts).
   */
  readonly revisionPathspecs: readonly string[];
  /** Every base the image target may use: the base option and each configuration's (see baseInputs). */
  readonly bases?: readonly string[];
}

type Inputs = NonNullable<TargetConfiguration['inputs']>;

/**
 * Inputs of the build context and of the image alike, but the bases' (see baseInputs): what
 * the binaries are made from (see binaryInputs), the options (Nx hashes the project's whole
 * configuration), the time source, the CA bundle, and the last commit touching a file the
 * binaries are compiled from (which becomes the revision label and, without
 * SOURCE_DATE_EPOCH, the layer time; the executor asks git for the same files, from the same
 * closure): a commit of tests or docs moves none of them; and the origin remote's URL, which
 * becomes the source label.
 */
function builtFromInputs(input: AppTargetsInput, platformInputs: readonly Inputs[]): Inputs {
  return [
    ...binaryInputs(input, platformInputs),
    { env: 'SOURCE_DATE_EPOCH' },
    { runtime: 'cat /etc/ssl/certs/ca-certificates.crt 2>/dev/null | cksum' },
    ...revisionInputs(input.revisionPathspecs),
    // The source label (org.opencontainers.image.source) comes from the origin remote.
    { runtime: ORIGIN_URL_COMMAND },
    ...imageTemplateInputs(input.options),
  ];
}

/**
 * Every base the image may use: the base option and each configuration's. Their inputs come
 * first in a target's list (RUNTIME_ORDER): Nx runs the runtime inputs of all tasks before any
 * task starts, in the order the targets list them, one command at a time on each of a pool of
 * one thread per core; `crossdock base-digest` (a Node start and a registry request, ~40 ms)
 * is the slowest, so listed first it runs beside the others instead of after them (about
 * 15 ms less before the batch starts on 2 cores). The order changes no hash.
 */
function basesOf(input: AppTargetsInput): readonly string[] {
  return input.bases ?? [input.options.base];
}

/**
 * Stands for what makes the builtin engine's deflate bytes: the zlib of the Node that runs
 * the image executor (Nx runs executors with the Node that runs Nx, the first on PATH under
 * npx and npm scripts), by its version (Node's bundled Chromium zlib names its revision) and
 * the CPU architecture (its SIMD paths differ). Never the Node binary's path or size: a path
 * (inside the checkout with the npm `node` package, versioned under nvm or asdf) would give
 * every machine its own image keys, and two machines with one Node share them. One Node start
 * per run (images hash before any task runs, in one group), none of its own when an image has
 * a registry base: `crossdock base-digest --gzip` prints the same line.
 */
export const BUILTIN_GZIP_INPUT = `node -p "'zlib ' + process.versions.zlib + ' ' + process.arch"`;

/**
 * The image's inputs: what it is built from, its bases, and its engine's. With the builtin
 * engine, the zlib build; with engine: docker, the daemon's (and buildx's and its builder's)
 * version: another BuildKit writes other layer bytes and config fields. A hermetic build compiles
 * inside BuildKit, so the Go sources replace the compiled binaries as inputs (the Go
 * toolchain is the goImage option's).
 * A `--engine=docker` given on the command line is hashed as an option, but cannot add
 * the docker version input: set engine in the project's options to get it.
 */
function imageInputs(input: AppTargetsInput, builtFrom: Inputs): Inputs {
  const builtin = input.options.engine === 'builtin';
  // The builtin engine's layer bytes are deflate output, stable for one zlib build only: a
  // base-digest command prints it when there is one (one Node start fewer before any task).
  const bases = baseInputs(basesOf(input), { gzip: builtin });
  // Bases first (see RUNTIME_ORDER).
  const inputs: Inputs = [...bases.inputs, ...builtFrom];
  if (builtin && !bases.printsGzip) inputs.push({ runtime: BUILTIN_GZIP_INPUT });
  if (input.options.engine === 'docker') {
    // With buildx, the builder (BUILDX_BUILDER) and its driver and BuildKit version too.
    inputs.push(
      { env: 'BUILDX_BUILDER' },
      {
        runtime:
          "(docker version --format '{{.Server.Version}}'; docker buildx inspect | grep -E '^(Driver|BuildKit version):'; docker buildx version) 2>/dev/null || echo no-docker",
      },
    );
  }
  return inputs;
}

/**
 * What the image's binaries are made from, instead of the binaries themselves: the union of
 * every platform's compile inputs (files, Go toolchain, environment, C toolchain) with the
 * builtin or docker engine; with a hermetic Dockerfile, which compiles inside BuildKit with
 * the goImage option's toolchain, the union of the files. The compile options are hashed too
 * (Nx hashes the project's whole configuration into every task). No input names a task's
 * output, so Nx hashes the image with everything else before any task runs, once per run;
 * with the compiles' output files as inputs it hashed images in a group per finished
 * dependency, ~40 ms each (a 200-app cached run spent 4 of its 9 s there). The price: an
 * edit that leaves every binary identical (a comment) reassembles the image.
 */
function binaryInputs(input: AppTargetsInput, platformInputs: readonly Inputs[]): Inputs {
  if (input.options.dockerfile === 'hermetic') {
    const files = new Set(
      input.compileInputs.flat().filter((i): i is string => typeof i === 'string'),
    );
    return [...files].sort();
  }
  const seen = new Set<string>();
  const union: Inputs = [];
  for (const item of platformInputs.flat()) {
    // npm packages stay as Nx hashes them for the image (the executor's package).
    if (typeof item === 'object' && 'externalDependencies' in item) continue;
    const key = JSON.stringify(item);
    if (seen.has(key)) continue;
    seen.add(key);
    union.push(item);
  }
  return union;
}

/** The Nx targets crossdock infers for one Go app. */
export function appTargets(input: AppTargetsInput): Record<string, TargetConfiguration> {
  const { options } = input;
  const targets: Record<string, TargetConfiguration> = {};
  const compileNames: string[] = [];
  // Each platform's compile inputs: its compile target's, and (all of them) the image's.
  const platformInputs = options.platforms.map((platform, index) => [
    ...input.compileInputs[index]!,
    ...cToolchainInputs(options, platform),
    ...compileTemplateInputs(options),
  ]);
  for (const [index, platform] of options.platforms.entries()) {
    const name = `${COMPILE_PREFIX}${platformSlug(platform)}`;
    compileNames.push(name);
    targets[name] = {
      executor: BUILD_EXECUTOR,
      cache: true,
      inputs: platformInputs[index],
      outputs: [`{workspaceRoot}/dist/bin/{projectName}/${platformPath(platform)}`],
      options: {
        step: 'compile',
        platform: formatPlatform(platform),
        binary: options.binary,
        main: options.main,
        version: options.version,
        ldflags: options.ldflags,
        buildTags: options.buildTags,
        cgo: options.cgo,
        ...(options.cgo
          ? {
              libc: options.libc,
              cc: options.cc,
              cxx: options.cxx,
              cgoCflags: options.cgoCflags,
              cgoLdflags: options.cgoLdflags,
            }
          : {}),
      },
      metadata: {
        technologies: ['go'],
        description: `Cross-compile ${options.binary} for ${formatPlatform(platform)} with the host's Go (no emulation)`,
      },
    };
  }
  targets.compile = {
    executor: 'nx:noop',
    dependsOn: compileNames,
    metadata: {
      technologies: ['go'],
      description: `Compile every platform: ${options.platforms.map(formatPlatform).join(', ')}`,
    },
  };
  // What the image and the context are built from (computed once).
  const builtFrom = builtFromInputs(input, platformInputs);
  targets.image = {
    executor: BUILD_EXECUTOR,
    // On the compile targets themselves, not the compile target that groups them: Nx adds the
    // dependents of a batch's tasks that have the same executor to the batch, so the compiles
    // and the image run in one process. A hermetic Dockerfile compiles inside BuildKit: no
    // host compile to wait for.
    dependsOn: options.dockerfile === 'hermetic' ? [] : compileNames,
    cache: true,
    inputs: imageInputs(input, builtFrom),
    outputs: [
      '{workspaceRoot}/dist/images/{projectName}',
      // The docker engine builds from the context; the builtin engine writes none.
      ...(engineReadsContext(options.engine) ? [CONTEXT_OUTPUT] : []),
      '{workspaceRoot}/dist/sbom/{projectName}',
      '{workspaceRoot}/dist/metadata/{projectName}/image.json',
    ],
    options: { ...input.rawOptions },
    metadata: {
      technologies: ['go', 'oci'],
      description: `Build the multi-arch image (${options.engine} engine) as an OCI layout in dist/images/<project>`,
    },
  };
  // The Docker build context alone, for a hand-off to docker or buildx: the image's checks,
  // from the same compiles, in the same batch.
  targets.context = {
    executor: BUILD_EXECUTOR,
    dependsOn: targets.image.dependsOn,
    cache: true,
    // Bases first (see RUNTIME_ORDER).
    inputs: [...baseInputs(basesOf(input)).inputs, ...builtFrom],
    outputs: [CONTEXT_OUTPUT],
    options: { ...input.rawOptions, step: 'context' },
    metadata: {
      // Not 'docker': nx release takes a project with a 'docker' target for an @nx/docker image.
      technologies: ['go'],
      description: `Write the Docker build context (Dockerfile, bin/, rootfs/) in dist/context/<project>, for docker or buildx`,
    },
  };
  targets.smoke = {
    executor: '@crossdock/nx:smoke',
    dependsOn: ['image'],
    cache: true,
    // The result depends on the image, on the host (native or emulated), on which qemu-user
    // binaries exist and on CI (a missing qemu is a skip locally, a failure under CI=true).
    inputs: [
      { dependentTasksOutputFiles: '**/*', transitive: false },
      { env: 'CI' },
      { runtime: 'uname -sm' },
      { runtime: 'ls /usr/bin /usr/local/bin 2>/dev/null | grep -- "^qemu-.*-static$" | cksum' },
    ],
    outputs: ['{workspaceRoot}/dist/smoke/{projectName}.json'],
    options: { ...input.rawOptions },
    metadata: {
      technologies: ['oci', 'qemu'],
      description: `Run ${options.binary} ${options.smokeArgs.join(' ')} for every platform from the image (natively or under qemu-user)`,
    },
  };
  // Never cached: the point of a sink is its side effect (the local Docker, a registry),
  // which a cache hit would skip.
  const sinkTarget = (executor: string, description: string): TargetConfiguration => ({
    executor,
    dependsOn: ['image'],
    cache: false,
    options: { ...input.rawOptions },
    metadata: {
      // Not 'docker': nx release 22 versions every project with a 'docker' technology as an
      // @nx/docker image (and fails without that package).
      technologies: ['oci'],
      description,
    },
  });
  targets.load = sinkTarget(
    '@crossdock/nx:load',
    "Load the host platform's image into the local Docker as <repository>:<first tag> (--platform=P for another platform)",
  );
  targets.push = sinkTarget(
    '@crossdock/nx:push',
    'Push the image index and tags to a registry (--registry=HOST[:PORT]); --platform=P --by-digest pushes one platform untagged',
  );
  targets['nx-release-publish'] = {
    executor: '@crossdock/nx:release-publish',
    // Never cached: a side effect. It runs the push target through Nx, which builds.
    cache: false,
    options: { ...input.rawOptions },
    metadata: {
      technologies: ['oci'],
      description:
        'nx release publish: push the released version tagged 1.4.0, 1.4, 1 (latest for the newest stable) to CROSSDOCK_REGISTRY or the registry option',
    },
  };
  // One CI matrix cell per platform: it needs only its own platform's compile.
  for (const platform of options.platforms) {
    const slug = platformSlug(platform);
    targets[`${PUSH_CELL_PREFIX}${slug}`] = {
      executor: '@crossdock/nx:push',
      dependsOn: [`${COMPILE_PREFIX}${slug}`],
      cache: false,
      options: {
        ...input.rawOptions,
        platform: formatPlatform(platform),
        byDigest: true,
        cell: true,
      },
      metadata: {
        technologies: ['oci'],
        description: `CI matrix cell: build the ${formatPlatform(platform)} image alone and push it by digest, untagged (--registry=HOST[:PORT]); writes dist/digests/{projectName}/${slug}.json`,
      },
    };
  }
  return targets;
}
