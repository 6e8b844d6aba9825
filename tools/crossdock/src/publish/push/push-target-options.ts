import { checkRepository, InvalidReferenceError } from '@crossdock/registry';
import { normalizeOptions, type CrossdockOptions } from '../../options/normalize-options';
import { OptionsError } from '../../options/options-error';
import { parsePushFlags, PUSH_FLAG_KEYS, type PushFlags } from './push-flags';

/** The push target's options, read once at the edge: the crossdock options and the push flags. */
export interface PushTargetOptions {
  readonly options: CrossdockOptions;
  readonly flags: PushFlags;
}

/** Normalises the push executor's raw options (crossdock options plus push flags) and checks the repository name. */
export function readPushTargetOptions(
  project: string,
  raw: Readonly<Record<string, unknown>>,
): PushTargetOptions {
  const options = normalizeOptions(
    project,
    [{ source: 'the push target options', values: raw }],
    PUSH_FLAG_KEYS,
  );
  const flags = parsePushFlags(project, raw);
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
  return { options, flags };
}
