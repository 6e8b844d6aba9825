import { DockerArchiveError } from '@crossdock/oci-layout';
import { CommandError, tail, type Runner } from '../process/runner';

/** How long a `docker save` or `docker load` of a project's images may take. */
const ARCHIVE_TIMEOUT_MS = 10 * 60_000;

/** A docker CLI to run archive commands with: the program and the environment it needs. */
export interface DockerProgram {
  readonly program: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** `docker save` of several tags into one archive. */
export function saveArgs(tags: readonly string[], output: string): string[] {
  return ['save', '--output', output, ...tags];
}

/** `docker load` of one archive. */
export function loadArgs(input: string): string[] {
  return ['load', '--input', input];
}

/** `docker save` of several tags into one docker archive at `output`. */
export async function dockerSave(
  runner: Runner,
  docker: DockerProgram,
  tags: readonly string[],
  output: string,
): Promise<void> {
  await runArchiveCommand(runner, docker, saveArgs(tags, output), output);
}

/** `docker load` of the docker archive at `input`. */
export async function dockerLoad(
  runner: Runner,
  docker: DockerProgram,
  input: string,
): Promise<void> {
  await runArchiveCommand(runner, docker, loadArgs(input), input);
}

/**
 * Runs an archive command on `archive`; a failure is a DockerArchiveError (@crossdock/oci-layout)
 * whose message is the end of docker's stderr, for the caller to put in context.
 */
async function runArchiveCommand(
  runner: Runner,
  docker: DockerProgram,
  args: string[],
  archive: string,
): Promise<void> {
  await runner
    .run(docker.program, args, {
      ...(docker.env ? { env: { ...docker.env } } : {}),
      timeoutMs: ARCHIVE_TIMEOUT_MS,
    })
    .catch((error: unknown) => {
      throw new DockerArchiveError(
        error instanceof CommandError
          ? tail(error.stderrTail, 10) || error.message
          : (error as Error).message,
        archive,
        { cause: error },
      );
    });
}
