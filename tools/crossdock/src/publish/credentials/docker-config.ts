import { join } from 'node:path';
import { loadDockerCredentials, type CredentialStore } from '@crossdock/registry';

/**
 * The Docker config file Docker itself would read: `$DOCKER_CONFIG/config.json`, else
 * `<home>/.docker/config.json`. The caller passes the environment and home directory in.
 */
export function dockerConfigPath(
  env: Readonly<Record<string, string | undefined>>,
  homeDir: string,
): string {
  const dir = env.DOCKER_CONFIG;
  return dir ? join(dir, 'config.json') : join(homeDir, '.docker', 'config.json');
}

/** The credential store of the Docker config file chosen by {@link dockerConfigPath} (empty when the file is missing). */
export async function dockerCredentials(
  env: Readonly<Record<string, string | undefined>>,
  homeDir: string,
): Promise<CredentialStore> {
  return loadDockerCredentials({ configPath: dockerConfigPath(env, homeDir) });
}
