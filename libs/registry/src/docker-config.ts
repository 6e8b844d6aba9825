import { readFile } from 'node:fs/promises';
import { execaHelperRunner, getFromHelper, HelperRunner } from './credential-helper';
import { credentialKey, Credentials, CredentialStore, FoundCredentials } from './credentials';
import { RegistryError } from './errors';

/** Options of {@link loadDockerCredentials}. */
export interface DockerCredentialOptions {
  /** The Docker config file, e.g. `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`, chosen by the caller. */
  readonly configPath: string;
  /** Directories to find `docker-credential-*` helpers in; PATH when absent. */
  readonly helperDirectories?: readonly string[];
  /** Runs credential helpers; execa by default. */
  readonly runHelper?: HelperRunner;
}

/** The parts of a Docker config file that hold credentials. */
export interface DockerConfigAuths {
  readonly auths: Readonly<Record<string, Credentials>>;
  readonly credsStore?: string;
  readonly credHelpers: Readonly<Record<string, string>>;
}

// Docker's credential stores know Docker Hub by its legacy index URL.
const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';

/**
 * Loads a Docker config file and returns a {@link CredentialStore} over its `auths`,
 * `credsStore` and `credHelpers`. A missing file is an empty store; an unreadable one is
 * an error naming the file (never its contents).
 */
export async function loadDockerCredentials(
  options: DockerCredentialOptions,
): Promise<CredentialStore> {
  const known = new Set(['configPath', 'helperDirectories', 'runHelper']);
  const unknown = Object.keys(options).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new RegistryError({
      code: 'CREDENTIALS',
      message: `unknown option(s) ${unknown.join(', ')} for loadDockerCredentials; valid: ${[...known].join(', ')}`,
    });
  }
  let text: string;
  try {
    text = await readFile(options.configPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { find: async () => undefined };
    throw new RegistryError({
      code: 'CREDENTIALS',
      message: `cannot read the Docker config ${options.configPath}`,
      cause: error,
    });
  }
  const config = parseDockerConfig(text, options.configPath);
  return dockerCredentialStore(
    config,
    options.configPath,
    options.runHelper ?? execaHelperRunner,
    options.helperDirectories,
  );
}

/**
 * The credential parts of a Docker config file's text. `auth` is base64 `user:password`;
 * `identitytoken` wins over a password, as in Docker. Errors name the file and the entry,
 * never a secret. Pure.
 */
export function parseDockerConfig(text: string, path: string): DockerConfigAuths {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RegistryError({
      code: 'CREDENTIALS',
      message: `the Docker config ${path} is not valid JSON`,
    });
  }
  const root = asRecord(parsed);
  const auths: Record<string, Credentials> = {};
  for (const [server, value] of Object.entries(asRecord(root['auths']))) {
    const credentials = entryCredentials(asRecord(value), server, path);
    if (credentials !== undefined) auths[credentialKey(server)] = credentials;
  }
  const credHelpers: Record<string, string> = {};
  for (const [server, helper] of Object.entries(asRecord(root['credHelpers']))) {
    if (typeof helper === 'string' && helper !== '') credHelpers[credentialKey(server)] = helper;
  }
  const credsStore =
    typeof root['credsStore'] === 'string' && root['credsStore'] !== ''
      ? root['credsStore']
      : undefined;
  return { auths, credHelpers, ...(credsStore !== undefined ? { credsStore } : {}) };
}

function entryCredentials(
  entry: Record<string, unknown>,
  server: string,
  path: string,
): Credentials | undefined {
  const identityToken = stringField(entry, 'identitytoken');
  const registryToken = stringField(entry, 'registrytoken');
  let username = stringField(entry, 'username');
  let password = stringField(entry, 'password');
  const auth = stringField(entry, 'auth');
  if (auth !== undefined) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new RegistryError({
        code: 'CREDENTIALS',
        message: `auths[${JSON.stringify(server)}].auth in ${path} is not base64 of "user:password"`,
      });
    }
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (identityToken !== undefined)
    return { identityToken, ...(username !== undefined ? { username } : {}) };
  if (registryToken !== undefined) return { token: registryToken };
  if (username !== undefined && password !== undefined) return { username, password };
  return undefined; // an empty entry: the credentials live in credsStore
}

function dockerCredentialStore(
  config: DockerConfigAuths,
  path: string,
  run: HelperRunner,
  directories: readonly string[] | undefined,
): CredentialStore {
  return {
    async find(registry: string): Promise<FoundCredentials | undefined> {
      const key = credentialKey(registry);
      const server = key === 'docker.io' ? DOCKER_HUB_SERVER : key;
      const helper = config.credHelpers[key];
      if (helper !== undefined) return fromHelper(helper, server, 'credHelpers');
      if (config.credsStore !== undefined) {
        const stored = await fromHelper(config.credsStore, server, 'credsStore');
        if (stored !== undefined) return stored;
      }
      const credentials = config.auths[key];
      return credentials === undefined ? undefined : { credentials, source: `auths in ${path}` };
    },
  };

  async function fromHelper(
    name: string,
    server: string,
    field: string,
  ): Promise<FoundCredentials | undefined> {
    const credentials = await getFromHelper(name, server, run, directories);
    return credentials === undefined
      ? undefined
      : { credentials, source: `docker-credential-${name} (${field} in ${path})` };
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
