import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CliCommand, CliIo } from './command';
import { UsageError } from './command';

/**
 * The commands of `crossdock`, by name. Each lives in its own file under cli/commands and
 * is added here; nothing is loaded until a command runs.
 */
const COMMANDS: Readonly<Record<string, () => Promise<CliCommand>>> = {
  'base-digest': async () => (await import('./commands/base-digest')).baseDigestCommand,
  cache: async () => (await import('./commands/cache')).cacheCommand,
  'c-toolchain': async () => (await import('./commands/c-toolchain')).cToolchainCommand,
  lint: async () => (await import('./commands/lint')).lintCommand,
  matrix: async () => (await import('./commands/matrix')).matrixCommand,
  merge: async () => (await import('./commands/merge')).mergeCommand,
  resolve: async () => (await import('./commands/resolve')).resolveCommand,
  verify: async () => (await import('./commands/verify')).verifyCommand,
};

/** The workspace root: the nearest directory at or above `start` holding nx.json. */
export function findWorkspaceRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir)
      throw new UsageError(
        `no nx.json found in ${start} or any parent directory; run crossdock inside an Nx workspace`,
      );
  }
}

async function help(): Promise<string> {
  const commands = await Promise.all(
    Object.entries(COMMANDS).map(async ([name, load]) => [name, (await load()).summary] as const),
  );
  const lines = commands.map(([name, summary]) => `  ${name.padEnd(12)} ${summary}`);
  return [
    'usage: crossdock <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    'crossdock <command> --help shows the options of a command.',
  ].join('\n');
}

/** Runs the CLI with arguments (without node and the script); resolves with the exit code. */
export async function main(
  argv: readonly string[],
  partialIo: Partial<CliIo> = {},
): Promise<number> {
  const io: CliIo = {
    stdout: partialIo.stdout ?? process.stdout,
    stderr: partialIo.stderr ?? process.stderr,
    env: partialIo.env ?? process.env,
    workspaceRoot: partialIo.workspaceRoot ?? '',
  };
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    io.stdout.write(`${await help()}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`crossdock: unknown command "${name}"\n\n${await help()}\n`);
    return 2;
  }
  const command = await load();
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    const workspaceRoot =
      io.workspaceRoot || (command.outsideWorkspace ? '' : findWorkspaceRoot(process.cwd()));
    return await command.run(args, { ...io, workspaceRoot });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`crossdock ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    io.stderr.write(`crossdock ${name}: ${(error as Error).message}\n`);
    return 1;
  }
}
