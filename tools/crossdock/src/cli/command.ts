import { CrossdockError } from '../support/crossdock-error';

/** One subcommand of the crossdock CLI. */
export interface CliCommand {
  readonly name: string;
  /** One line for `crossdock --help`. */
  readonly summary: string;
  /** Full usage text for `crossdock <name> --help`. */
  readonly usage: string;
  /** True when the command runs anywhere, not only inside an Nx workspace (workspaceRoot is then ''). */
  readonly outsideWorkspace?: boolean;
  /** Runs the command; resolves with the process exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Where a command writes, and the directory it treats as the workspace root. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly workspaceRoot: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A bad command line: printed with the command's usage, exit code 2. */
export class UsageError extends CrossdockError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
