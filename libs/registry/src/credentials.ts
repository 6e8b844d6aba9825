/** A username and password, sent as HTTP Basic or exchanged for a Bearer token. */
export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** A registry token sent as is (`Authorization: Bearer <token>`), like Docker's `registrytoken`. */
export interface TokenCredentials {
  readonly token: string;
}

/** An OAuth2 refresh token (Docker's `identitytoken`), exchanged at the token endpoint. */
export interface IdentityTokenCredentials {
  readonly identityToken: string;
  readonly username?: string;
}

/** Credentials for one registry, in one of the three forms registries accept. */
export type Credentials = BasicCredentials | TokenCredentials | IdentityTokenCredentials;

/** Credentials together with where they came from, for messages (never the secret itself). */
export interface FoundCredentials {
  readonly credentials: Credentials;
  /** e.g. `the credentials option`, `auths in /home/u/.docker/config.json`, `docker-credential-pass`. */
  readonly source: string;
}

/** Something that finds credentials for a registry host (`host[:port]`, `docker.io` for Docker Hub). */
export interface CredentialStore {
  find(registry: string): Promise<FoundCredentials | undefined>;
}

/** True for username/password credentials. */
export function isBasic(credentials: Credentials): credentials is BasicCredentials {
  return 'password' in credentials;
}

/** True for a ready-made registry token. */
export function isToken(credentials: Credentials): credentials is TokenCredentials {
  return 'token' in credentials;
}

/** True for an OAuth2 identity (refresh) token. */
export function isIdentityToken(credentials: Credentials): credentials is IdentityTokenCredentials {
  return 'identityToken' in credentials;
}

/** The secret strings inside some credentials, for redaction. */
export function secretsOf(credentials: Credentials | undefined): readonly string[] {
  if (credentials === undefined) return [];
  if (isBasic(credentials)) {
    const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    return [credentials.password, basic];
  }
  if (isToken(credentials)) return [credentials.token];
  return [credentials.identityToken];
}

/** A store that always answers with the same explicit credentials. */
export function staticCredentials(credentials: Credentials): CredentialStore {
  const found: FoundCredentials = { credentials, source: 'the credentials option' };
  return { find: async () => found };
}

/**
 * The key registries are known by in credential stores: host[:port] without scheme or
 * path, with Docker Hub's aliases folded to `docker.io`. Pure.
 */
export function credentialKey(server: string): string {
  const host = server
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}
