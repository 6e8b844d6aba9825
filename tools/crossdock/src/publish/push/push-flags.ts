import { InvalidReferenceError, parseReference } from '@crossdock/registry';
import { parsePlatform, PlatformError, type Platform } from '@crossdock/platform';
import { OptionsError } from '../../options/options-error';
import { chooseRegistry, REGISTRY_ENV, type RegistrySources } from './registry-source';

/** The push executor's own flags (everything else it receives is a crossdock option). */
export interface PushFlags {
  /** `host[:port]` of the registry. */
  readonly registry: string;
  readonly username?: string;
  /** Name of the environment variable holding the password. */
  readonly passwordEnv?: string;
  /** Hosts (`host` or `host:port`) that may be reached over plain HTTP besides loopback ones. */
  readonly insecureRegistries: readonly string[];
  /** With `byDigest`: the one platform to push. */
  readonly platform?: Platform;
  /** Push one platform's manifest by digest, without tags (a CI cell's push). */
  readonly byDigest: boolean;
  /** A CI matrix cell (the push--<slug> targets): build this platform's image alone first, from its compiled binary. */
  readonly cell: boolean;
}

/** Keys of the push flags, passed to normalizeOptions as `extraKeys`. `password` is listed to be refused with a clear message. */
export const PUSH_FLAG_KEYS: ReadonlySet<string> = new Set([
  'registry',
  'username',
  'passwordEnv',
  'password',
  'insecureRegistry',
  'platform',
  'byDigest',
  'cell',
]);

/**
 * Reads and checks the push flags from the executor's raw options. The registry is the
 * --registry flag, else `CROSSDOCK_REGISTRY` in `sources.env`, else the `registry` option
 * (see chooseRegistry).
 */
export function parsePushFlags(
  project: string,
  raw: Readonly<Record<string, unknown>>,
  sources: RegistrySources = {},
): PushFlags {
  if (raw.password !== undefined) {
    throw new OptionsError(
      project,
      'password',
      'is refused: a password on the command line ends up in shell history and process lists; put it in an environment variable and pass --password-env=NAME',
    );
  }
  const registry = chooseRegistry(stringFlag(project, raw, 'registry'), sources);
  if (registry === undefined) {
    throw new OptionsError(
      project,
      'registry',
      `is required: give --registry=HOST[:PORT], set ${REGISTRY_ENV} or the registry option (e.g. 127.0.0.1:5000)`,
    );
  }
  checkRegistry(project, registry);
  const platformText = stringFlag(project, raw, 'platform');
  let platform: Platform | undefined;
  if (platformText !== undefined) {
    try {
      platform = parsePlatform(platformText);
    } catch (error) {
      if (error instanceof PlatformError)
        throw new OptionsError(project, 'platform', `is invalid: ${error.message}`, {
          cause: error,
        });
      throw error;
    }
  }
  const byDigest = raw.byDigest === true || raw.byDigest === 'true';
  if (byDigest && platform === undefined)
    throw new OptionsError(
      project,
      'byDigest',
      'needs --platform=<os/arch[/variant]>: a by-digest push is one platform of a CI matrix',
    );
  if (!byDigest && platform !== undefined) {
    throw new OptionsError(
      project,
      'platform',
      'is only for --by-digest pushes of one platform; a tagged push always pushes the whole index',
    );
  }
  const cell = raw.cell === true || raw.cell === 'true';
  if (cell && !byDigest)
    throw new OptionsError(
      project,
      'cell',
      'needs --by-digest and --platform: a cell builds and pushes one platform untagged',
    );
  const username = stringFlag(project, raw, 'username');
  const passwordEnv = stringFlag(project, raw, 'passwordEnv');
  return {
    registry,
    ...(username !== undefined ? { username } : {}),
    ...(passwordEnv !== undefined ? { passwordEnv } : {}),
    insecureRegistries: listFlag(project, raw, 'insecureRegistry'),
    ...(platform !== undefined ? { platform } : {}),
    byDigest,
    cell,
  };
}

function checkRegistry(project: string, registry: string): void {
  let parsed: string | undefined;
  try {
    parsed = parseReference(`${registry}/crossdock`).registry;
  } catch (error) {
    if (!(error instanceof InvalidReferenceError)) throw error;
  }
  if (parsed !== registry) {
    throw new OptionsError(
      project,
      'registry',
      `"${registry}" is not a registry host[:port] (no scheme, no path), such as 127.0.0.1:5000 or registry.example.com`,
    );
  }
}

function stringFlag(
  project: string,
  raw: Readonly<Record<string, unknown>>,
  key: string,
): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string')
    throw new OptionsError(project, key, `must be a string, got ${JSON.stringify(value)}`);
  return value;
}

/** A flag given once, several times, or as a comma-separated list. */
function listFlag(project: string, raw: Readonly<Record<string, unknown>>, key: string): string[] {
  const value = raw[key];
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  if (items.some((item) => typeof item !== 'string'))
    throw new OptionsError(
      project,
      key,
      `must be host[:port] strings, got ${JSON.stringify(value)}`,
    );
  return (items as string[])
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter(Boolean);
}
