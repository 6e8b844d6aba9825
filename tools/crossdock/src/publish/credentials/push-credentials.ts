import {
  staticCredentials,
  type CredentialStore,
  type FoundCredentials,
} from '@crossdock/registry';
import { CrossdockError } from '../../support/crossdock-error';

/** A bad credentials setting: names the project and the option, never a secret. */
export class CredentialsError extends CrossdockError {
  constructor(
    readonly project: string,
    message: string,
  ) {
    super(`${project}: ${message}`);
    this.name = 'CredentialsError';
  }
}

/** Explicit credentials as options give them: a user name and the name of the variable holding the password. */
export interface ExplicitCredentialOptions {
  readonly username?: string;
  readonly passwordEnv?: string;
}

/**
 * The credentials of a push: explicit ones (`username` + the password read from the
 * environment variable named by `passwordEnv`) when given, else the Docker config store.
 * A password is never taken from an option. The answer records where credentials came
 * from, for messages.
 */
export function pushCredentials(
  project: string,
  explicit: ExplicitCredentialOptions,
  env: Readonly<Record<string, string | undefined>>,
  dockerStore: CredentialStore,
): CredentialStore {
  const { username, passwordEnv } = explicit;
  if (username === undefined && passwordEnv === undefined) return dockerStore;
  if (username === undefined || username === '') {
    throw new CredentialsError(project, `--password-env=${passwordEnv} needs --username too`);
  }
  if (passwordEnv === undefined || passwordEnv === '') {
    throw new CredentialsError(
      project,
      `--username=${username} needs --password-env=NAME, the environment variable holding the password (never the password itself)`,
    );
  }
  const password = env[passwordEnv];
  if (password === undefined || password === '') {
    throw new CredentialsError(
      project,
      `the environment variable ${passwordEnv} (named by --password-env) is not set or empty; export it with the registry password`,
    );
  }
  const store = staticCredentials({ username, password });
  return {
    async find(registry: string): Promise<FoundCredentials | undefined> {
      const found = await store.find(registry);
      return (
        found && {
          credentials: found.credentials,
          source: `--username ${username} with the password from $${passwordEnv}`,
        }
      );
    },
  };
}

/** A store that remembers the source of the last credentials it handed out (never the secret), for a progress line. */
export function recordingStore(store: CredentialStore): {
  readonly store: CredentialStore;
  used(): string | undefined;
} {
  let source: string | undefined;
  return {
    store: {
      async find(registry) {
        const found = await store.find(registry);
        if (found) source = found.source;
        return found;
      },
    },
    used: () => source,
  };
}
