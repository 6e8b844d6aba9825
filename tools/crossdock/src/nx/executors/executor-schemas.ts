import { OPTION_KEYS, OPTION_SPECS, type OptionKey } from '../../options/option-specs';
import { optionJsonSchema, type JsonSchemaProperty } from '../../options/json-schema';
import { BUILD_STEPS } from './build/steps';

/** An executor's JSON schema, as Nx reads it from executors.json. */
export interface ExecutorSchema {
  readonly $schema: 'https://json-schema.org/schema';
  readonly title: string;
  readonly description: string;
  readonly type: 'object';
  readonly properties: Readonly<Record<string, JsonSchemaProperty>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: false;
}

/** What one executor accepts: crossdock options from the table, plus flags of its own. */
interface ExecutorOptions {
  readonly description: string;
  readonly options: readonly OptionKey[];
  readonly flags?: Readonly<Record<string, JsonSchemaProperty>>;
  readonly required?: readonly string[];
  /** Whether Nx itself rejects unknown keys (otherwise normalizeOptions does, naming the source). */
  readonly closed?: boolean;
  /** The line executors.json gives (what `nx list @crossdock/nx` shows). */
  readonly summary: string;
  /** Whether it has a batch implementation (src/nx/executors/<name>/batch.ts) Nx prefers. */
  readonly batch?: boolean;
}

/** The compile executor's options: the build-side subset of the table, set by the inferred targets. */
export const COMPILE_OPTION_KEYS = [
  'binary',
  'main',
  'version',
  'ldflags',
  'buildTags',
  'cgo',
  'libc',
  'cc',
  'cxx',
  'cgoCflags',
  'cgoLdflags',
] as const satisfies readonly OptionKey[];

/** The push executor's own flags (see push/push-flags.ts); `password` is refused there, so it has no schema entry; `registry` is also an option, so the option table describes it. */
const PUSH_FLAGS: Readonly<Record<string, JsonSchemaProperty>> = {
  username: {
    type: 'string',
    description:
      'User name for the registry; the password comes from the variable named by passwordEnv.',
  },
  passwordEnv: {
    type: 'string',
    description:
      'Name of the environment variable holding the registry password (a password is never an option).',
  },
  insecureRegistry: {
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description:
      'Hosts (host or host:port) that may be reached over plain HTTP besides loopback ones; repeat or separate with commas.',
  },
  platform: {
    type: 'string',
    description: 'With byDigest: the one platform to push (os/arch[/variant]).',
  },
  byDigest: {
    type: 'boolean',
    description:
      "Push one platform's manifest by digest, untagged, and write dist/digests/<project>/<slug>.json.",
  },
  cell: {
    type: 'boolean',
    description:
      "A CI matrix cell (the push--<slug> targets): build this platform's image alone first, from its compiled binary.",
  },
};

const EXECUTORS: Readonly<Record<string, ExecutorOptions>> = {
  compile: {
    summary: 'Cross-compile one Go main package for one platform, natively (no emulation).',
    batch: true,
    description: "Cross-compile one Go main package for one platform with the host's Go toolchain.",
    options: COMPILE_OPTION_KEYS,
    flags: { platform: { type: 'string', description: 'Target platform, e.g. linux/arm/v7.' } },
    required: ['platform', 'binary'],
    closed: true,
  },
  image: {
    summary: 'Assemble one image per platform and a multi-arch index as an OCI image layout.',
    batch: true,
    description: 'Assemble one image per platform and a multi-arch index as an OCI image layout.',
    options: OPTION_KEYS,
  },
  build: {
    summary:
      "The compile, context and image executors as one (step: compile, context or image): a project's compiles and its image run in one batch process. The inferred targets use it.",
    batch: true,
    description:
      "The compile, context and image executors as one (step: compile, context or image), so that Nx runs a project's compiles and its image in one batch process; the inferred targets use it.",
    options: OPTION_KEYS,
    flags: {
      step: {
        type: 'string',
        enum: [...BUILD_STEPS],
        description:
          "compile: cross-compile for one platform (the compile executor's options); context: write the Docker build context in dist/context/<project> (the image executor's options); image (when absent): assemble the images (the image executor's options).",
      },
      platform: {
        type: 'string',
        description: 'With step compile: the target platform, e.g. linux/arm/v7.',
      },
    },
  },
  smoke: {
    summary:
      "Run every platform's entrypoint from the image's root filesystem, natively or under qemu-user.",
    description:
      "Run every platform's entrypoint from the image's root filesystem, natively or under qemu-user.",
    options: OPTION_KEYS,
  },
  load: {
    summary:
      "Load the host platform's image (or --platform's) into the local Docker as <repository>:<first tag>.",
    description:
      "Load the host platform's image (or --platform's) into the local Docker as <repository>:<first tag>.",
    options: OPTION_KEYS,
    flags: {
      platform: {
        type: 'string',
        description: "The platform to load (default: the host's), e.g. linux/arm64.",
      },
    },
  },
  push: {
    summary:
      'Push the multi-arch image (blobs, manifests, index, tags) to an OCI registry, or one platform by digest.',
    description:
      'Push the multi-arch image (blobs, manifests, index, tags) to an OCI registry, or one platform by digest.',
    options: OPTION_KEYS,
    flags: PUSH_FLAGS,
  },
  'release-publish': {
    summary:
      "nx release publish: push the released version's image tagged 1.4.0, 1.4, 1 (and latest for the newest stable release).",
    description:
      "nx release publish: push the released version's image tagged 1.4.0, 1.4, 1 (and latest for the newest stable release) to CROSSDOCK_REGISTRY or the registry option.",
    options: OPTION_KEYS,
    flags: {
      dryRun: {
        type: 'boolean',
        description: 'Print what would be pushed; build and push nothing.',
      },
    },
  },
};

/** The names of crossdock's executors, as executors.json lists them. */
export const EXECUTOR_NAMES = Object.keys(EXECUTORS);

/** One executor as executors.json declares it (paths relative to the plugin's package root). */
export interface ExecutorsJsonEntry {
  readonly implementation: string;
  readonly batchImplementation?: string;
  readonly preferBatch?: true;
  readonly schema: string;
  readonly description: string;
}

/** What executors.json must hold, derived from the one list above (a test compares the file). */
export function executorsJson(): { executors: Record<string, ExecutorsJsonEntry> } {
  const executors: Record<string, ExecutorsJsonEntry> = {};
  for (const [name, executor] of Object.entries(EXECUTORS)) {
    const dir = `./build/executors/${name}`;
    executors[name] = {
      implementation: `${dir}/executor.js`,
      ...(executor.batch ? { batchImplementation: `${dir}/batch.js`, preferBatch: true } : {}),
      schema: `${dir}/schema.json`,
      description: executor.summary,
    };
  }
  return { executors };
}

/** The bundle entries of the executors (output path → source, relative to the plugin root), for scripts/build.js. */
export function executorBundleEntries(): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const [name, executor] of Object.entries(EXECUTORS)) {
    for (const file of executor.batch ? ['executor', 'batch'] : ['executor'])
      entries[`executors/${name}/${file}`] = `src/nx/executors/${name}/${file}.ts`;
  }
  return entries;
}

/** The JSON schema of one executor, generated from the option table (written at build time). */
export function executorSchema(name: string): ExecutorSchema {
  const executor = EXECUTORS[name];
  if (executor === undefined)
    throw new Error(`no crossdock executor named "${name}" (known: ${EXECUTOR_NAMES.join(', ')})`);
  const properties: Record<string, JsonSchemaProperty> = { ...executor.flags };
  for (const key of executor.options) properties[key] = optionJsonSchema(OPTION_SPECS[key]);
  return {
    $schema: 'https://json-schema.org/schema',
    title: `crossdock ${name}`,
    description: executor.description,
    type: 'object',
    properties,
    ...(executor.required ? { required: executor.required } : {}),
    ...(executor.closed ? { additionalProperties: false } : {}),
  };
}
