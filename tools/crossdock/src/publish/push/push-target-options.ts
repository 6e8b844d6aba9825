import { checkRepository, InvalidReferenceError } from '@crossdock/registry';
import { normalizeOptions, type CrossdockOptions } from '../../options/normalize-options';
import { OptionsError } from '../../options/options-error';
import { parsePushFlags, PUSH_FLAG_KEYS, type PushFlags } from './push-flags';
import type { RegistrySources } from './registry-source';

/** The push target's options, read once at the edge: the crossdock options and the push flags. */
export interface PushTargetOptions {
  readonly options: CrossdockOptions;
  readonly flags: PushFlags;
}

/**
 * Normalises the push executor's raw options (crossdock options plus push flags) and checks
 * the repository name. `configured` is the target's options as configured (without the
 * command line): Nx hands an executor the two merged, and a `registry` equal to the
 * configured one is the registry option, which CROSSDOCK_REGISTRY overrides, not a flag.
 */
export function readPushTargetOptions(
  project: string,
  raw: Readonly<Record<string, unknown>>,
  sources: { env?: RegistrySources['env']; configured?: Readonly<Record<string, unknown>> } = {},
): PushTargetOptions {
  const options = normalizeOptions(
    project,
    [{ source: 'the push target options', values: raw }],
    PUSH_FLAG_KEYS,
  );
  return { options, flags: readPushFlags(project, raw, options, sources) };
}

/**
 * The push flags of the raw options, once the crossdock options are normalised, and the
 * repository name checked. A `registry` equal to the configured one is the option, not a flag.
 */
export function readPushFlags(
  project: string,
  raw: Readonly<Record<string, unknown>>,
  options: CrossdockOptions,
  sources: { env?: RegistrySources['env']; configured?: Readonly<Record<string, unknown>> } = {},
): PushFlags {
  const configured = sources.configured?.['registry'];
  const option = typeof configured === 'string' ? configured : undefined;
  const fromFlag = raw['registry'] !== undefined && raw['registry'] !== configured;
  const flags = parsePushFlags(project, fromFlag ? raw : { ...raw, registry: undefined }, {
    ...(sources.env ? { env: sources.env } : {}),
    ...(option !== undefined ? { option } : {}),
  });
  try {
    checkRepository(options.repository);
  } catch (error) {
    if (error instanceof InvalidReferenceError)
      throw new OptionsError(
        project,
        'repository',
        `"${options.repository}" is not a repository name: ${error.message}`,
        { cause: error },
      );
    throw error;
  }
  return flags;
}
