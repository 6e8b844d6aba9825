import { devNull } from 'node:os';
import { CommandError, type Runner } from '../process/runner';
import {
  builderBuildKitVersion,
  builderProblem,
  BuildxBuilderError,
  parseBuildxInspect,
  type BuildxNode,
} from './buildx-builder';
import {
  parseBuildxVersion,
  parseDockerVersion,
  supportsBuildKitEnv,
  versionAtLeast,
} from './docker-version';
import { CrossdockError } from '../crossdock-error';

/**
 * How the docker engine builds:
 * - `buildx-oci`: one `docker buildx build --platform a,b,... --output type=oci` for every platform;
 * - `buildx-load`: buildx with the `docker` driver, which can neither export OCI nor build
 *   several platforms at once: one `docker buildx build --load` per platform, then `docker save`;
 * - `buildkit-env`: a 18.09–22.x CLI without buildx: one `DOCKER_BUILDKIT=1 docker build` per
 *   platform, then `docker save`.
 */
export type DockerBuildPath = 'buildx-oci' | 'buildx-load' | 'buildkit-env';

/** What `docker buildx` reported. */
export interface BuildxInfo {
  readonly version: string;
  readonly builder: string;
  readonly driver: string;
  /** buildx 0.10+ adds provenance attestations unless told not to (`--provenance=false`). */
  readonly attestationFlags: boolean;
  /** The builder's nodes as `docker buildx inspect --bootstrap` showed them (platforms, BuildKit version). */
  readonly nodes?: readonly BuildxNode[];
  /** The BuildKit version of the builder's first answering node, e.g. `v0.34.2`. */
  readonly buildkitVersion?: string;
}

/** A docker CLI that was probed and can build with BuildKit, and how. */
export interface DockerCli {
  readonly program: string;
  readonly clientVersion: string;
  readonly serverVersion: string;
  readonly path: DockerBuildPath;
  readonly buildx?: BuildxInfo;
  /** Environment added to every build command (DOCKER_BUILDKIT=1 for `buildkit-env`). */
  readonly env: Readonly<Record<string, string>>;
  /** Why the candidates before it, or a preferred path, were not taken. */
  readonly notes: readonly string[];
}

/** A docker CLI that answers (its daemon too), for commands that need no BuildKit (load, save, run). */
export interface DockerClient {
  readonly program: string;
  readonly clientVersion: string;
  readonly serverVersion: string;
}

/**
 * The docker CLIs tried, in order: the one on PATH, then the usual install locations. On
 * Debian with a newer CLI in /usr/local/bin, /usr/bin/docker is docker.io's 20.10 CLI.
 */
export const DOCKER_CANDIDATES: readonly string[] = [
  'docker',
  '/usr/bin/docker',
  '/usr/local/bin/docker',
];

/** No docker CLI could build: lists every candidate and why it was rejected. */
export class DockerUnavailableError extends CrossdockError {
  constructor(readonly rejected: readonly string[]) {
    super(
      `no docker CLI can run BuildKit builds here:\n${rejected.map((line) => `  - ${line}`).join('\n')}\n` +
        'Fix: install docker buildx, or use a Docker 20.10-era CLI (Debian: apt-get install docker.io, /usr/bin/docker), ' +
        'and start the daemon (tools/scripts/setup-engines.sh); or use engine: builtin, which needs no daemon.',
    );
    this.name = 'DockerUnavailableError';
  }
}

const PROBE_TIMEOUT_MS = 30_000;

/** Runs a probe; a program that cannot start gives undefined. */
async function probe(
  runner: Runner,
  program: string,
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string } = {},
) {
  try {
    return await runner.run(program, args, {
      ...options,
      allowFailure: true,
      timeoutMs: PROBE_TIMEOUT_MS,
    });
  } catch (error) {
    if (error instanceof CommandError) return undefined;
    throw error;
  }
}

/** The candidates that exist and whose daemon answers, without duplicates (`docker` on PATH is often one of the others). */
export async function answeringDockerClients(
  runner: Runner,
  candidates: readonly string[] = DOCKER_CANDIDATES,
): Promise<{ clients: DockerClient[]; rejected: string[] }> {
  const clients: DockerClient[] = [];
  const rejected: string[] = [];
  const seen = new Set<string>();
  for (const program of candidates) {
    const result = await probe(runner, program, ['version', '--format', '{{json .}}']);
    if (result === undefined) {
      rejected.push(`${program}: not found`);
      continue;
    }
    const version = parseDockerVersion(result.stdout);
    if (version.client === undefined) {
      rejected.push(
        `${program}: "docker version" printed no client version (exit ${result.exitCode}): ${result.stderr.trim().split('\n').pop() ?? ''}`,
      );
      continue;
    }
    if (seen.has(version.clientIdentity)) continue;
    seen.add(version.clientIdentity);
    if (version.server === undefined) {
      rejected.push(
        `${program} ${version.client}: the daemon does not answer (${result.stderr.trim().split('\n').pop() ?? 'no server in docker version'}); start dockerd`,
      );
      continue;
    }
    clients.push({ program, clientVersion: version.client, serverVersion: version.server });
  }
  return { clients, rejected };
}

/** The first docker CLI whose daemon answers; throws DockerUnavailableError naming every candidate otherwise. */
export async function findDockerClient(
  runner: Runner,
  candidates: readonly string[] = DOCKER_CANDIDATES,
): Promise<DockerClient> {
  const { clients, rejected } = await answeringDockerClients(runner, candidates);
  const [first] = clients;
  if (first === undefined) throw new DockerUnavailableError(rejected);
  return first;
}

/**
 * Finds a docker CLI that can build with BuildKit, by probing, never by assuming: first any
 * candidate where `docker buildx version` works (its driver decides between one multi-platform
 * OCI build and per-platform `--load` builds); else a CLI older than 23.0 whose
 * `DOCKER_BUILDKIT=1 docker build` really runs BuildKit (a one-line scratch build, ~0.5 s).
 * Docker 23+ CLIs without buildx refuse DOCKER_BUILDKIT=1 builds, which the probe shows.
 * The builder is buildx's current one, or the one BUILDX_BUILDER names; a builder that does
 * not answer, or a named one whose driver cannot export OCI, is a BuildxBuilderError.
 */
export async function detectDockerCli(
  runner: Runner,
  candidates: readonly string[] = DOCKER_CANDIDATES,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<DockerCli> {
  const { clients, rejected } = await answeringDockerClients(runner, candidates);
  const notes = [...rejected];
  for (const client of clients) {
    const version = await probe(runner, client.program, ['buildx', 'version']);
    if (version === undefined || version.exitCode !== 0) {
      notes.push(
        `${client.program} ${client.clientVersion}: no buildx (${firstLine(version?.stderr) || 'docker buildx version failed'})`,
      );
      continue;
    }
    const buildxVersion = parseBuildxVersion(version.stdout) ?? 'unknown';
    // --bootstrap reaches the builder's BuildKit (starting a docker-container one), so its
    // status, platforms and version are real, and a builder that does not answer fails here.
    const named = env['BUILDX_BUILDER'] || undefined;
    const which = named !== undefined ? [named] : [];
    let inspect = await probe(runner, client.program, [
      'buildx',
      'inspect',
      '--bootstrap',
      ...which,
    ]);
    let inspectError: string | undefined;
    if (inspect === undefined || inspect.exitCode !== 0) {
      inspectError = errorLine(inspect?.stderr) || 'docker buildx inspect --bootstrap failed';
      // Without --bootstrap buildx shows the builder's driver and nodes without reaching them.
      inspect = await probe(runner, client.program, ['buildx', 'inspect', ...which]);
    }
    const inspected = parseBuildxInspect(inspect?.stdout ?? '');
    const problem = builderProblem(inspected, named, inspectError);
    if (problem !== undefined) throw new BuildxBuilderError(problem);
    const { name: builder, driver } = inspected;
    const buildkitVersion = builderBuildKitVersion(inspected);
    const buildx: BuildxInfo = {
      version: buildxVersion,
      builder,
      driver,
      attestationFlags: versionAtLeast(buildxVersion, [0, 10]),
      nodes: inspected.nodes,
      ...(buildkitVersion ? { buildkitVersion } : {}),
    };
    const path: DockerBuildPath = driver === 'docker' ? 'buildx-load' : 'buildx-oci';
    if (path === 'buildx-load') {
      notes.push(
        `buildx builder "${builder}" uses the docker driver, which cannot export OCI or build several platforms at once; building one platform at a time (docker buildx create --use makes a docker-container builder)`,
      );
    }
    return { ...client, path, buildx, env: {}, notes };
  }
  for (const client of clients) {
    if (!supportsBuildKitEnv(client.clientVersion)) {
      notes.push(
        `${client.program} ${client.clientVersion}: a 23+ CLI runs BuildKit only through buildx`,
      );
      continue;
    }
    const env = { DOCKER_BUILDKIT: '1' };
    const result = await probe(
      runner,
      client.program,
      ['build', '--quiet', '--output', `type=tar,dest=${devNull}`, '-'],
      { env, input: 'FROM scratch\n' },
    );
    if (result === undefined || result.exitCode !== 0) {
      notes.push(
        `${client.program} ${client.clientVersion}: DOCKER_BUILDKIT=1 docker build failed (${firstLine(result?.stderr) || 'could not run'})`,
      );
      continue;
    }
    return { ...client, path: 'buildkit-env', env, notes };
  }
  throw new DockerUnavailableError(notes.length > 0 ? notes : ['no candidate given']);
}

/** One line saying which docker ran and how, for the build log. */
export function describeDockerCli(cli: DockerCli): string {
  const how =
    cli.path === 'buildx-oci'
      ? `docker buildx ${cli.buildx?.version} (builder "${cli.buildx?.builder}", driver ${cli.buildx?.driver}${cli.buildx?.buildkitVersion ? `, BuildKit ${cli.buildx.buildkitVersion}` : ''}): one multi-platform build, OCI output`
      : cli.path === 'buildx-load'
        ? `docker buildx ${cli.buildx?.version} (builder "${cli.buildx?.builder}", driver docker): one build per platform, --load, docker save`
        : 'BuildKit through DOCKER_BUILDKIT=1: one docker build per platform, docker save';
  return `${cli.program} ${cli.clientVersion} (daemon ${cli.serverVersion}), ${how}`;
}

/** The first non-empty line of a probe's stderr: docker puts the reason there, the help hint after it. */
function firstLine(text: string | undefined): string {
  return (
    (text ?? '')
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  );
}

/** What buildx said went wrong: its last `ERROR:` line (progress lines come before it), else the first line. */
function errorLine(text: string | undefined): string {
  const lines = (text ?? '').split('\n').map((line) => line.trim());
  return lines.filter((line) => line.startsWith('ERROR:')).pop() ?? firstLine(text);
}
