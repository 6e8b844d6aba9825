/**
 * The crossdock options: one table that drives validation, defaults and the docs.
 * A project sets them in project.json under `targets.image.options`; nx.json's plugin
 * options give defaults for every project. Unknown keys are errors.
 */

/** The kind of value an option takes. */
export type OptionKind = 'string' | 'string[]' | 'record' | 'boolean' | 'number' | 'number[]';

/** One option: its kind, default, and a line for the docs. */
export interface OptionSpec {
  readonly kind: OptionKind;
  readonly default: unknown;
  readonly description: string;
  readonly example?: unknown;
  /** Accepted values for an enumerated string option. */
  readonly oneOf?: readonly string[];
}

/** Every option crossdock accepts, by key. */
export const OPTION_SPECS = {
  platforms: {
    kind: 'string[]',
    default: ['linux/amd64', 'linux/arm64'],
    description:
      'Target platforms (os/arch[/variant]); aliases such as aarch64 or armhf are normalised.',
    example: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
  },
  binary: {
    kind: 'string',
    default: '',
    description: 'Name of the binary in the image (default: the project name).',
    example: 'hello',
  },
  main: {
    kind: 'string',
    default: '.',
    description: 'Go main package, relative to the project root.',
    example: './cmd/server',
  },
  version: {
    kind: 'string',
    default: '0.0.0-dev',
    description:
      'Version stamped into the binary (see ldflags) and the version label; a template of git and environment data ({tag}, {commit}, {env.NAME}...; docs/release.md). nx release sets it per release.',
    example: '1.4.2',
  },
  ldflags: {
    kind: 'string[]',
    default: ['-s', '-w', '-X main.version={version}'],
    description:
      'Linker flags, templated per platform: {version}, {commit}, {commitDate}, {os}, {env.NAME}... (docs/release.md); a git variable makes the compile an input of that git data.',
    example: ['-s', '-w', '-X main.version={version}', '-X main.commit={fullCommit}'],
  },
  buildTags: { kind: 'string[]', default: [], description: 'Go build tags.', example: ['netgo'] },
  cgo: {
    kind: 'boolean',
    default: false,
    description:
      'Build with cgo (CGO_ENABLED=1) and cross-compile the C code for each platform with zig (pinned, installed on demand) or the cc option; see docs/cgo.md.',
    example: false,
  },
  libc: {
    kind: 'string',
    default: 'musl',
    oneOf: ['musl', 'glibc'],
    description:
      'C library of a cgo binary: musl (linked statically, runs on scratch) or glibc (dynamic: the base image must have the glibc loader and libc for each platform).',
    example: 'musl',
  },
  cc: {
    kind: 'string',
    default: '',
    description:
      'C cross compiler of a cgo build instead of zig: a command template with {triple} (GNU triple, e.g. aarch64-linux-gnu), {os}, {arch}, {variant}; empty = zig.',
    example: '{triple}-gcc',
  },
  cxx: {
    kind: 'string',
    default: '',
    description: 'C++ cross compiler template, as cc (with zig: zig c++).',
    example: '{triple}-g++',
  },
  cgoCflags: {
    kind: 'string[]',
    default: [],
    description:
      "CGO_CFLAGS (and CGO_CXXFLAGS) of a cgo build; empty = Go's default (-O2 -g). Never read from the environment.",
    example: ['-O2'],
  },
  cgoLdflags: {
    kind: 'string[]',
    default: [],
    description: 'CGO_LDFLAGS of a cgo build. Never read from the environment.',
    example: ['-lm'],
  },
  base: {
    kind: 'string',
    default: 'scratch',
    description:
      'Base image: scratch, a registry reference (tag or digest), or oci:<path> to a local OCI layout.',
    example: '127.0.0.1:5000/busybox:latest',
  },
  args: {
    kind: 'string[]',
    default: [],
    description: 'Arguments after the entrypoint (the image Cmd).',
    example: ['--listen=:8080'],
  },
  env: {
    kind: 'record',
    default: {},
    description: "Environment variables of the image, merged over the base image's.",
    example: { GODEBUG: 'madvdontneed=1' },
  },
  labels: {
    kind: 'record',
    default: {},
    description:
      'Extra image labels (org.opencontainers.image.* are set by crossdock); values are templates ({version}, {commit}, {env.NAME}...).',
    example: { team: 'edge' },
  },
  annotations: {
    kind: 'record',
    default: {},
    description:
      'Annotations on the index and every manifest; an index: or manifest: key prefix puts one on only those (as buildx). Values are templates, per platform ({os}, {arch}) on manifest: keys.',
    example: { 'org.opencontainers.image.vendor': 'Acme', 'manifest:com.acme.arch': '{arch}' },
  },
  user: {
    kind: 'string',
    default: '65532:65532',
    description: 'User the entrypoint runs as (non-root by default).',
    example: '65532:65532',
  },
  workdir: {
    kind: 'string',
    default: '/',
    description: 'Working directory of the entrypoint.',
    example: '/',
  },
  ports: {
    kind: 'number[]',
    default: [],
    description: 'Ports the service listens on (ExposedPorts).',
    example: [8080],
  },
  repository: {
    kind: 'string',
    default: '',
    description: 'Repository name in the registry (default: the project name).',
    example: 'team/hello',
  },
  registry: {
    kind: 'string',
    default: '',
    description:
      'Registry (HOST[:PORT]) that push, merge, resolve and nx release publish push to; the --registry flag, then the CROSSDOCK_REGISTRY environment variable, come first.',
    example: 'registry.example.com',
  },
  tags: {
    kind: 'string[]',
    default: ['latest', '{commit}'],
    description:
      'Tags pushed, templates: {version}, {major}, {minor}, {commit}, {branch}, {env.NAME}... (docs/release.md); a template with no value (no git) is skipped.',
    example: ['latest', '{version}', '{major}.{minor}', '{commit}'],
  },
  engine: {
    kind: 'string',
    default: 'builtin',
    oneOf: ['builtin', 'docker'],
    description: 'Image engine: builtin (daemonless) or docker (BuildKit).',
    example: 'builtin',
  },
  compressionLevel: {
    kind: 'number',
    default: 1,
    description:
      "gzip level (0-9) of the application layer the builtin engine writes. 1 is the fastest (what ko and go-containerregistry use): about three times as fast as zlib's 6 on a Go binary, for layers about 8 % larger. Every level is reproducible.",
    example: 6,
  },
  dockerfile: {
    kind: 'string',
    default: 'prebuilt',
    oneOf: ['prebuilt', 'hermetic'],
    description:
      'Generated Dockerfile: prebuilt copies the cross-compiled binaries from the context; hermetic compiles inside BuildKit (a $BUILDPLATFORM Go stage, cache mounts) from the Go sources and needs engine: docker.',
    example: 'prebuilt',
  },
  goImage: {
    kind: 'string',
    default: 'golang:{goVersion}',
    description:
      'Go toolchain image of the hermetic build stage (runs on the build platform); {goVersion} is the go directive of the go.mod. With cgo: true it must have zig on its PATH (tools/scripts/build-go-zig-image.sh).',
    example: '127.0.0.1:5000/golang:1.26.8',
  },
  smokeArgs: {
    kind: 'string[]',
    default: ['--version'],
    description:
      "Arguments of the smoke run of each platform's entrypoint. Setting it (or smokeExpect) selects the strict check, exit code 0; unset, smoke checks only that the Go runtime started (docs/smoke.md).",
    example: ['--version'],
  },
  smokeExpect: {
    kind: 'string',
    default: '',
    description:
      'Regular expression the smoke output must match; {os}, {arch}, {variant} are replaced per platform.',
    example: '"arch":"{arch}"',
  },
  smokeTimeoutSeconds: {
    kind: 'number',
    default: 10,
    description:
      'Time limit of one smoke run. With the default check a program still running then (a server) passes; with smokeArgs or smokeExpect set it fails.',
    example: 30,
  },
  sbomFormat: {
    kind: 'string',
    default: 'spdx',
    oneOf: ['spdx', 'cyclonedx', 'both'],
    description:
      'SBOM written per platform beside the layout and attached on push: SPDX 2.3 JSON, CycloneDX 1.6 JSON, or both.',
    example: 'both',
  },
  signKey: {
    kind: 'string',
    default: '',
    description:
      'Cosign private key (cosign generate-key-pair) that push, CI cells and merge sign every manifest and index with, and sign the SLSA provenance with; relative to the workspace root. The password comes from COSIGN_PASSWORD. Empty: no signing. Keyless (Fulcio/Rekor) is not there yet.',
    example: 'keys/cosign.key',
  },
} as const satisfies Record<string, OptionSpec>;

/** The name of a crossdock option. */
export type OptionKey = keyof typeof OPTION_SPECS;

/** Every option key, in documentation order. */
export const OPTION_KEYS = Object.keys(OPTION_SPECS) as OptionKey[];

/** The TypeScript type of each kind of value. */
interface KindValues {
  string: string;
  'string[]': readonly string[];
  record: Readonly<Record<string, string>>;
  boolean: boolean;
  number: number;
  'number[]': readonly number[];
}

/** The value type of one option, from its row of the table: an enumerated string is its union. */
export type OptionValue<K extends OptionKey> = (typeof OPTION_SPECS)[K] extends {
  readonly oneOf: readonly (infer V)[];
}
  ? V
  : KindValues[(typeof OPTION_SPECS)[K]['kind']];

/** Every option with its value type, derived from the table (CrossdockOptions builds on it). */
export type OptionValues = { readonly [K in OptionKey]: OptionValue<K> };
