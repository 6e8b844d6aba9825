import { parsePlatformList, PlatformError, type Platform } from '@crossdock/platform';
import {
  OPTION_KEYS,
  OPTION_SPECS,
  type OptionKey,
  type OptionSpec,
  type OptionValue,
  type OptionValues,
} from './option-specs';
import { OptionsError } from './options-error';
import { checkHermeticTemplates, checkOptionTemplates } from './templates/check-options';

/**
 * The complete, validated options of one project, typed from the option table
 * (option-specs.ts), with the platforms parsed. Built once, at the edge, then only read.
 */
export type CrossdockOptions = Omit<OptionValues, 'platforms'> & {
  readonly platforms: readonly Platform[];
};

/** Which SBOM documents an image build writes per platform. */
export type SbomFormat = OptionValue<'sbomFormat'>;

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
  const read = <K extends OptionKey>(key: K): OptionValue<K> =>
    checkValue(project, key, key in merged ? merged[key] : OPTION_SPECS[key].default);

  let platforms: Platform[];
  try {
    platforms = parsePlatformList([...read('platforms')]);
  } catch (error) {
    if (error instanceof PlatformError)
      throw new OptionsError(project, 'platforms', `is invalid: ${error.message}`, {
        cause: error,
      });
    throw error;
  }
  const binary = read('binary') || project;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(binary)) {
    throw new OptionsError(
      project,
      'binary',
      `"${binary}" is not a file name (letters, digits, '.', '_', '-')`,
    );
  }
  const user = read('user');
  if (!/^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?$/.test(user))
    throw new OptionsError(project, 'user', `"${user}" is not user[:group]`);
  const workdir = read('workdir');
  if (!workdir.startsWith('/'))
    throw new OptionsError(project, 'workdir', `"${workdir}" must be an absolute path`);
  const ports = read('ports');
  for (const port of ports) {
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new OptionsError(project, 'ports', `has ${port}, not a port number 1-65535`);
  }
  const smokeExpect = read('smokeExpect');
  try {
    new RegExp(smokeExpect);
  } catch (error) {
    throw new OptionsError(
      project,
      'smokeExpect',
      `is not a regular expression: ${(error as Error).message}`,
    );
  }
  const engine = read('engine');
  const dockerfile = read('dockerfile');
  if (dockerfile === 'hermetic' && engine !== 'docker') {
    throw new OptionsError(
      project,
      'dockerfile',
      'is hermetic, which compiles inside BuildKit and needs engine: docker (the builtin engine assembles the prebuilt binaries); set engine to docker or dockerfile to prebuilt',
    );
  }
  if (dockerfile === 'hermetic' && read('cgo') && read('cc').trim() !== '') {
    throw new OptionsError(
      project,
      'dockerfile',
      'is hermetic, whose cgo build compiles C with the zig of the goImage (a Go+zig builder image); the cc option names a compiler of this machine, so leave cc empty or use dockerfile: prebuilt',
    );
  }
  const goImage = read('goImage');
  if (goImage.trim() === '' || /\s/.test(goImage))
    throw new OptionsError(project, 'goImage', `"${goImage}" is not an image reference`);
  const compressionLevel = read('compressionLevel');
  if (!Number.isInteger(compressionLevel) || compressionLevel < 0 || compressionLevel > 9)
    throw new OptionsError(
      project,
      'compressionLevel',
      `is ${compressionLevel}, not a gzip level 0-9`,
    );
  const smokeTimeoutSeconds = read('smokeTimeoutSeconds');
  if (!(smokeTimeoutSeconds > 0))
    throw new OptionsError(project, 'smokeTimeoutSeconds', 'must be a positive number of seconds');

  const signKey = read('signKey');
  if (signKey === 'keyless' || /^[a-z][a-z0-9+.-]*:\/\//i.test(signKey)) {
    throw new OptionsError(
      project,
      'signKey',
      `is "${signKey}": keyless signing (Fulcio certificates, Rekor log) and KMS key URIs are not supported yet; give the path of a cosign key file (cosign generate-key-pair) and set COSIGN_PASSWORD`,
    );
  }

  const templated = {
    version: read('version'),
    tags: read('tags'),
    ldflags: read('ldflags'),
    labels: read('labels'),
    annotations: read('annotations'),
  };
  checkOptionTemplates(project, templated);
  if (read('dockerfile') === 'hermetic') checkHermeticTemplates(project, templated);

  return Object.freeze({
    platforms: Object.freeze(platforms),
    binary,
    main: read('main'),
    version: read('version'),
    ldflags: Object.freeze([...read('ldflags')]),
    buildTags: Object.freeze([...read('buildTags')]),
    cgo: read('cgo'),
    libc: read('libc'),
    cc: read('cc'),
    cxx: read('cxx'),
    cgoCflags: Object.freeze([...read('cgoCflags')]),
    cgoLdflags: Object.freeze([...read('cgoLdflags')]),
    base: read('base'),
    args: Object.freeze([...read('args')]),
    env: Object.freeze({ ...read('env') }),
    labels: Object.freeze({ ...read('labels') }),
    annotations: Object.freeze({ ...templated.annotations }),
    user,
    workdir,
    ports: Object.freeze([...ports]),
    repository: read('repository') || project,
    registry: read('registry'),
    tags: Object.freeze([...read('tags')]),
    engine,
    compressionLevel,
    dockerfile,
    goImage,
    smokeArgs: Object.freeze([...read('smokeArgs')]),
    smokeExpect,
    smokeTimeoutSeconds,
    sbomFormat: read('sbomFormat'),
    signKey,
  });
}

/** The value of option `key` after checking it against its row of the table; a bad one is an OptionsError. */
function checkValue<K extends OptionKey>(project: string, key: K, value: unknown): OptionValue<K> {
  if (fits(key, value)) return value;
  throw new OptionsError(
    project,
    key,
    `must be ${expected(OPTION_SPECS[key], value)}, got ${JSON.stringify(value)}`,
  );
}

/** Whether `value` is of option `key`'s kind (and one of its values, for an enumerated one). */
function fits<K extends OptionKey>(key: K, value: unknown): value is OptionValue<K> {
  const spec: OptionSpec = OPTION_SPECS[key];
  switch (spec.kind) {
    case 'string':
      return typeof value === 'string' && (!spec.oneOf || spec.oneOf.includes(value));
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && !Number.isNaN(value);
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'number[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'number');
    case 'record':
      return (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((v) => typeof v === 'string')
      );
  }
}

/** What an option of this row takes, for the error. */
function expected(spec: OptionSpec, value: unknown): string {
  switch (spec.kind) {
    case 'string':
      return typeof value === 'string' && spec.oneOf
        ? `one of ${spec.oneOf.join(', ')}`
        : 'a string';
    case 'boolean':
      return 'true or false';
    case 'number':
      return 'a number';
    case 'string[]':
      return 'a list of strings';
    case 'number[]':
      return 'a list of numbers';
    case 'record':
      return 'an object of string values';
  }
}
