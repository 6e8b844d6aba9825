import { parsePlatformList, PlatformError, type Platform } from '@crossdock/platform';
import { OPTION_KEYS, OPTION_SPECS, type OptionKey, type OptionSpec } from './option-specs';
import { OptionsError } from './options-error';
import { checkOptionTemplates } from './templates/check-options';

/** The complete, validated options of one project. Built once, at the edge, then only read. */
export interface CrossdockOptions {
  readonly platforms: readonly Platform[];
  readonly binary: string;
  readonly main: string;
  readonly version: string;
  readonly ldflags: readonly string[];
  readonly buildTags: readonly string[];
  readonly cgo: boolean;
  readonly libc: 'musl' | 'glibc';
  readonly cc: string;
  readonly cxx: string;
  readonly cgoCflags: readonly string[];
  readonly cgoLdflags: readonly string[];
  readonly base: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  /** User annotations: `index:`/`manifest:`-prefixed keys go on one of them only (templates/annotation-keys). */
  readonly annotations: Readonly<Record<string, string>>;
  readonly user: string;
  readonly workdir: string;
  readonly ports: readonly number[];
  readonly repository: string;
  /** The registry option (HOST[:PORT] or empty); a flag or CROSSDOCK_REGISTRY comes first (push/registry-source). */
  readonly registry: string;
  readonly tags: readonly string[];
  readonly engine: 'builtin' | 'docker';
  readonly compressionLevel: number;
  readonly dockerfile: 'prebuilt' | 'hermetic';
  readonly goImage: string;
  readonly smokeArgs: readonly string[];
  readonly smokeExpect: string;
  readonly smokeTimeoutSeconds: number;
  readonly sbomFormat: SbomFormat;
  /** Path of the cosign private key (relative to the workspace root, or absolute); empty: no signing. */
  readonly signKey: string;
}

/** Which SBOM documents an image build writes per platform. */
export type SbomFormat = 'spdx' | 'cyclonedx' | 'both';

/** One source of raw options, named so that an error can say where a bad key came from. */
export interface OptionLayer {
  readonly source: string;
  readonly values: Readonly<Record<string, unknown>> | undefined;
}

/** Keys Nx itself may put into executor options; they are not crossdock's to judge. */
const NX_INTERNAL_KEYS = new Set(['__unparsed__', '__overrides_unparsed__']);

/**
 * Merges raw option layers (later layers win, key by key), rejects unknown keys and
 * bad values, and fills in defaults. `extraKeys` are keys a caller handles itself
 * (an executor's own flags such as `registry`); they are passed over, not rejected.
 */
export function normalizeOptions(
  project: string,
  layers: readonly OptionLayer[],
  extraKeys: ReadonlySet<string> = new Set(),
): CrossdockOptions {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.values ?? {})) {
      if (NX_INTERNAL_KEYS.has(key) || extraKeys.has(key)) continue;
      if (!(key in OPTION_SPECS)) {
        throw new OptionsError(
          project,
          key,
          `in ${layer.source} is not a crossdock option; valid options: ${OPTION_KEYS.join(', ')}`,
        );
      }
      if (value !== undefined) merged[key] = value;
    }
  }
  const read = <K extends OptionKey>(key: K) =>
    checkValue(
      project,
      key,
      OPTION_SPECS[key],
      key in merged ? merged[key] : OPTION_SPECS[key].default,
    );

  let platforms: Platform[];
  try {
    platforms = parsePlatformList(read('platforms') as string[]);
  } catch (error) {
    if (error instanceof PlatformError)
      throw new OptionsError(project, 'platforms', `is invalid: ${error.message}`, {
        cause: error,
      });
    throw error;
  }
  const binary = (read('binary') as string) || project;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(binary)) {
    throw new OptionsError(
      project,
      'binary',
      `"${binary}" is not a file name (letters, digits, '.', '_', '-')`,
    );
  }
  const user = read('user') as string;
  if (!/^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?$/.test(user))
    throw new OptionsError(project, 'user', `"${user}" is not user[:group]`);
  const workdir = read('workdir') as string;
  if (!workdir.startsWith('/'))
    throw new OptionsError(project, 'workdir', `"${workdir}" must be an absolute path`);
  const ports = read('ports') as number[];
  for (const port of ports) {
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new OptionsError(project, 'ports', `has ${port}, not a port number 1-65535`);
  }
  const smokeExpect = read('smokeExpect') as string;
  try {
    new RegExp(smokeExpect);
  } catch (error) {
    throw new OptionsError(
      project,
      'smokeExpect',
      `is not a regular expression: ${(error as Error).message}`,
    );
  }
  const engine = read('engine') as 'builtin' | 'docker';
  const dockerfile = read('dockerfile') as 'prebuilt' | 'hermetic';
  if (dockerfile === 'hermetic' && engine !== 'docker') {
    throw new OptionsError(
      project,
      'dockerfile',
      'is hermetic, which compiles inside BuildKit and needs engine: docker (the builtin engine assembles the prebuilt binaries); set engine to docker or dockerfile to prebuilt',
    );
  }
  if (
    dockerfile === 'hermetic' &&
    (read('cgo') as boolean) &&
    (read('cc') as string).trim() !== ''
  ) {
    throw new OptionsError(
      project,
      'dockerfile',
      'is hermetic, whose cgo build compiles C with the zig of the goImage (a Go+zig builder image); the cc option names a compiler of this machine, so leave cc empty or use dockerfile: prebuilt',
    );
  }
  const goImage = read('goImage') as string;
  if (goImage.trim() === '' || /\s/.test(goImage))
    throw new OptionsError(project, 'goImage', `"${goImage}" is not an image reference`);
  const compressionLevel = read('compressionLevel') as number;
  if (!Number.isInteger(compressionLevel) || compressionLevel < 0 || compressionLevel > 9)
    throw new OptionsError(
      project,
      'compressionLevel',
      `is ${compressionLevel}, not a gzip level 0-9`,
    );
  const smokeTimeoutSeconds = read('smokeTimeoutSeconds') as number;
  if (!(smokeTimeoutSeconds > 0))
    throw new OptionsError(project, 'smokeTimeoutSeconds', 'must be a positive number of seconds');

  const signKey = read('signKey') as string;
  if (signKey === 'keyless' || /^[a-z][a-z0-9+.-]*:\/\//i.test(signKey)) {
    throw new OptionsError(
      project,
      'signKey',
      `is "${signKey}": keyless signing (Fulcio certificates, Rekor log) and KMS key URIs are not supported yet; give the path of a cosign key file (cosign generate-key-pair) and set COSIGN_PASSWORD`,
    );
  }

  const templated = {
    version: read('version') as string,
    tags: read('tags') as string[],
    ldflags: read('ldflags') as string[],
    labels: read('labels') as Record<string, string>,
    annotations: read('annotations') as Record<string, string>,
  };
  checkOptionTemplates(project, templated);

  return Object.freeze({
    platforms: Object.freeze(platforms),
    binary,
    main: read('main') as string,
    version: read('version') as string,
    ldflags: Object.freeze([...(read('ldflags') as string[])]),
    buildTags: Object.freeze([...(read('buildTags') as string[])]),
    cgo: read('cgo') as boolean,
    libc: read('libc') as 'musl' | 'glibc',
    cc: read('cc') as string,
    cxx: read('cxx') as string,
    cgoCflags: Object.freeze([...(read('cgoCflags') as string[])]),
    cgoLdflags: Object.freeze([...(read('cgoLdflags') as string[])]),
    base: read('base') as string,
    args: Object.freeze([...(read('args') as string[])]),
    env: Object.freeze({ ...(read('env') as Record<string, string>) }),
    labels: Object.freeze({ ...(read('labels') as Record<string, string>) }),
    annotations: Object.freeze({ ...templated.annotations }),
    user,
    workdir,
    ports: Object.freeze([...ports]),
    repository: (read('repository') as string) || project,
    registry: read('registry') as string,
    tags: Object.freeze([...(read('tags') as string[])]),
    engine,
    compressionLevel,
    dockerfile,
    goImage,
    smokeArgs: Object.freeze([...(read('smokeArgs') as string[])]),
    smokeExpect,
    smokeTimeoutSeconds,
    sbomFormat: read('sbomFormat') as SbomFormat,
    signKey,
  });
}

function checkValue(project: string, key: string, spec: OptionSpec, value: unknown): unknown {
  const fail = (expected: string) => {
    throw new OptionsError(project, key, `must be ${expected}, got ${JSON.stringify(value)}`);
  };
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') fail('a string');
      if (spec.oneOf && !spec.oneOf.includes(value as string))
        fail(`one of ${spec.oneOf.join(', ')}`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') fail('true or false');
      return value;
    case 'number':
      if (typeof value !== 'number' || Number.isNaN(value)) fail('a number');
      return value;
    case 'string[]':
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
        fail('a list of strings');
      return value;
    case 'number[]':
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'number'))
        fail('a list of numbers');
      return value;
    case 'record':
      if (
        typeof value !== 'object' ||
        value === null ||
        Array.isArray(value) ||
        Object.values(value).some((v) => typeof v !== 'string')
      ) {
        fail('an object of string values');
      }
      return value;
  }
}
