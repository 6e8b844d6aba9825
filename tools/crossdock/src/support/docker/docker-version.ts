/** Client and server versions from `docker version --format '{{json .}}'`. */
export interface DockerVersionInfo {
  readonly client?: string;
  readonly server?: string;
  /** Version, commit and build time of the client binary: equal for two paths to one binary. */
  readonly clientIdentity: string;
}

/**
 * Reads `docker version --format '{{json .}}'` output. When the daemon does not answer the
 * CLI still prints the client part (with `"Server":null`) and exits 1.
 */
export function parseDockerVersion(stdout: string): DockerVersionInfo {
  const line = stdout.split('\n').find((l) => l.trim().startsWith('{'));
  if (line === undefined) return { clientIdentity: '' };
  let parsed: { Client?: Record<string, unknown> | null; Server?: Record<string, unknown> | null };
  try {
    parsed = JSON.parse(line);
  } catch {
    return { clientIdentity: '' };
  }
  const client = stringField(parsed.Client, 'Version');
  const server = stringField(parsed.Server, 'Version');
  const identity = [
    client,
    stringField(parsed.Client, 'GitCommit'),
    stringField(parsed.Client, 'BuildTime'),
  ].join('|');
  return { ...(client ? { client } : {}), ...(server ? { server } : {}), clientIdentity: identity };
}

/** The version from `docker buildx version` (`github.com/docker/buildx v0.11.2 9872040`), without the `v`. */
export function parseBuildxVersion(stdout: string): string | undefined {
  return /\bv?(\d+\.\d+(?:\.\d+)?[\w.+-]*)/.exec(stdout.replace(/^\S*buildx\S*\s+/m, ''))?.[1];
}

/**
 * Whether a docker CLI of this version runs BuildKit builds itself with DOCKER_BUILDKIT=1:
 * 18.09 to 22.x. From 23.0 the CLI hands BuildKit builds to buildx and refuses without it.
 */
export function supportsBuildKitEnv(clientVersion: string): boolean {
  return versionAtLeast(clientVersion, [18, 9]) && !versionAtLeast(clientVersion, [23, 0]);
}

/** Whether a dotted version (`20.10.24+dfsg1`, `0.11.2`) is at least `minimum` ([major, minor, ...]). */
export function versionAtLeast(version: string, minimum: readonly number[]): boolean {
  const parts = (/^v?(\d+(?:\.\d+)*)/.exec(version)?.[1] ?? '').split('.').map(Number);
  if (parts.length === 0 || Number.isNaN(parts[0])) return false;
  for (let i = 0; i < minimum.length; i++) {
    const have = parts[i] ?? 0;
    const want = minimum[i] ?? 0;
    if (have !== want) return have > want;
  }
  return true;
}

function stringField(
  record: Record<string, unknown> | null | undefined,
  key: string,
): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
