import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { Credentials } from './credentials';
import { RegistryError } from './errors';

/** What a finished credential-helper process printed and how it ended. */
export interface HelperResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one program with an argument array and stdin; the one place helpers are spawned. */
export type HelperRunner = (
  program: string,
  args: readonly string[],
  input: string,
) => Promise<HelperResult>;

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const NOT_FOUND = /credentials not found/i;
const HELPER_TIMEOUT_MS = 30_000;

/** execa, loaded when a helper first runs (an ES module that takes ~90 ms to load; most runs need no helper). */
let execaModule: Promise<typeof import('execa')> | undefined;

/** The real runner, on execa (argument array, no shell). */
export const execaHelperRunner: HelperRunner = async (program, args, input) => {
  const { execa } = await (execaModule ??= import('execa'));
  const result = await execa(program, [...args], {
    input,
    reject: false,
    timeout: HELPER_TIMEOUT_MS,
    encoding: 'utf8',
  });
  if (result.failed && result.exitCode === undefined) {
    throw new RegistryError({
      code: 'CREDENTIALS',
      message: `could not run credential helper ${program}: ${result.shortMessage}; install it or remove it from the Docker config`,
    });
  }
  return { exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr };
};

/**
 * Asks `docker-credential-<name> get` for a server's credentials (stdin: the server,
 * stdout: `{"ServerURL","Username","Secret"}`). Undefined when the helper has none.
 * `directories`, when given, are searched instead of PATH.
 */
export async function getFromHelper(
  name: string,
  server: string,
  run: HelperRunner,
  directories: readonly string[] | undefined,
): Promise<Credentials | undefined> {
  if (!HELPER_NAME.test(name)) {
    throw new RegistryError({
      code: 'CREDENTIALS',
      message: `credential helper name ${JSON.stringify(name)} is invalid (letters, digits, ".", "_", "-"); fix credsStore/credHelpers in the Docker config`,
    });
  }
  const program = `docker-credential-${name}`;
  const result = await run(await locate(program, directories), ['get'], server);
  if (result.exitCode !== 0) {
    if (NOT_FOUND.test(result.stdout) || NOT_FOUND.test(result.stderr)) return undefined;
    // stdout may hold a secret on odd helpers: report only the tail of stderr.
    const tail = result.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 300);
    throw new RegistryError({
      code: 'CREDENTIALS',
      message: `credential helper ${program} failed for ${server} with exit code ${result.exitCode}${tail ? `: ${tail}` : ''}`,
    });
  }
  return parseHelperOutput(program, server, result.stdout);
}

async function locate(
  program: string,
  directories: readonly string[] | undefined,
): Promise<string> {
  if (directories === undefined) return program;
  for (const directory of directories) {
    const candidate = join(directory, program);
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  throw new RegistryError({
    code: 'CREDENTIALS',
    message: `credential helper ${program} is not an executable in ${directories.map((d) => JSON.stringify(d)).join(', ')}; install it or remove it from the Docker config`,
  });
}

/** The credentials in a helper's JSON answer; Username `<token>` marks an identity token. Pure. */
export function parseHelperOutput(
  program: string,
  server: string,
  stdout: string,
): Credentials | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new RegistryError({
      code: 'CREDENTIALS',
      message: `credential helper ${program} printed something other than JSON for ${server}`,
    });
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
  const username = typeof record['Username'] === 'string' ? record['Username'] : '';
  const secret = typeof record['Secret'] === 'string' ? record['Secret'] : '';
  if (secret === '') return undefined;
  if (username === '<token>') return { identityToken: secret };
  return { username, password: secret };
}
