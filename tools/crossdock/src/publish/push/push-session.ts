import {
  createRegistryClient,
  formatReference,
  RegistryError,
  type CredentialStore,
  type RegistryClient,
  type RetryPolicy,
} from '@crossdock/registry';
import { pushCredentials, recordingStore } from '../credentials/push-credentials';
import type { PushFlags } from './push-flags';

/**
 * What push and merge share about talking to one repository: the credentials (explicit or
 * the Docker config, recorded for the progress line), the client, how references print and
 * how registry errors are explained.
 */
export interface PushSession {
  readonly client: RegistryClient;
  /** `host[:port]/repository`, as messages name the target. */
  readonly repositoryRef: string;
  /** `host[:port]/repository@digest`. */
  at(digest: string): string;
  /** `; authenticated with <source>` once credentials were used, else empty (never the secret). */
  credentialNote(): string;
  /** Runs a registry step; a RegistryError becomes one naming the project, the action and the target, with what to do on a 401 or a refused plain-HTTP host. */
  explain<T>(step: () => Promise<T>): Promise<T>;
}

export interface PushSessionRequest {
  readonly project: string;
  /** What the session does, for error messages: `push to` or `merge into`. */
  readonly action: 'push to' | 'merge into';
  readonly flags: PushFlags;
  readonly repository: string;
  /** The environment, for the variable named by --password-env. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly dockerCredentials: CredentialStore;
  readonly retry?: Partial<RetryPolicy>;
}

/** Opens the session; a bad --username/--password-env pair fails here, before any request. */
export function openPushSession(request: PushSessionRequest): PushSession {
  const { project, flags, repository } = request;
  const credentials = recordingStore(
    pushCredentials(project, flags, request.env, request.dockerCredentials),
  );
  const client = createRegistryClient({
    registry: flags.registry,
    credentials: credentials.store,
    insecure: flags.insecureRegistries,
    ...(request.retry ? { retry: request.retry } : {}),
  });
  const repositoryRef = `${flags.registry}/${repository}`;
  return {
    client,
    repositoryRef,
    at: (digest) => formatReference({ registry: flags.registry, repository, digest }),
    credentialNote: () => {
      const source = credentials.used();
      return source ? `; authenticated with ${source}` : '';
    },
    explain: (step) => explainRegistryErrors(project, `${request.action} ${repositoryRef}`, step),
  };
}

async function explainRegistryErrors<T>(
  project: string,
  what: string,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    const fix =
      error.status === 401
        ? ' Log in with `docker login` (the Docker config: $DOCKER_CONFIG/config.json or ~/.docker/config.json), or pass --username=USER --password-env=VARIABLE.'
        : error.code === 'INSECURE_TRANSPORT'
          ? ' If the registry really serves plain HTTP, pass --insecure-registry=HOST[:PORT].'
          : '';
    throw new Error(`${project}: ${what} failed: ${error.message}.${fix}`, { cause: error });
  }
}
