import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  DockerfileSyntaxError,
  formatFinding,
  lintDockerfileText,
  type LintFinding,
} from '@crossdock/dockerfile';
import { UsageError, type CliCommand } from '../command';

const USAGE = `usage: crossdock lint [--strict] <Dockerfile>...

Reports every RUN that BuildKit would execute on the target platform, which for a
foreign target means under QEMU emulation (5 to 30 times slower), as
  <file>:<line>: <error|warning>: <why> [emulated-run]

  error    the stage runs on the target platform (no --platform, or $TARGETPLATFORM),
           directly or through the stage it is built FROM
  warning  the stage has a fixed --platform (native on one kind of host only), or one
           the Dockerfile does not resolve

Exit status: 0 when there is no error (warnings are printed but pass), 1 when there is
an error, a file cannot be read or parsed, or, with --strict, any finding at all;
2 for a bad command line. Paths are relative to the current directory.`;

/** The findings of one file, or why it could not be linted. */
interface FileResult {
  readonly file: string;
  readonly findings: readonly LintFinding[];
  readonly failure?: string;
}

async function lintFile(file: string): Promise<FileResult> {
  let text: string;
  try {
    // A path on the command line means what it means in the user's shell: relative to the current directory.
    text = await readFile(resolve(process.cwd(), file), 'utf8');
  } catch (error) {
    return {
      file,
      findings: [],
      failure: `${file}: error: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    };
  }
  try {
    return { file, findings: lintDockerfileText(text, file) };
  } catch (error) {
    if (error instanceof DockerfileSyntaxError)
      return {
        file,
        findings: [],
        failure: `${error.file}:${error.line}: error: ${error.reason} [syntax]`,
      };
    throw error;
  }
}

/** Splits the arguments into flags and files; `--` ends the flags. */
function parseArgs(args: readonly string[]): { strict: boolean; files: string[] } {
  let strict = false;
  const files: string[] = [];
  let flagsDone = false;
  for (const arg of args) {
    if (!flagsDone && arg === '--') flagsDone = true;
    else if (!flagsDone && arg === '--strict') strict = true;
    else if (!flagsDone && arg.startsWith('-') && arg !== '-')
      throw new UsageError(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length === 0) throw new UsageError('give at least one Dockerfile');
  return { strict, files };
}

/** `crossdock lint [--strict] <Dockerfile>...`: the emulation lint over any Dockerfiles. */
export const lintCommand: CliCommand = {
  name: 'lint',
  summary: 'report RUN steps of Dockerfiles that would run under emulation',
  usage: USAGE,
  async run(args, io) {
    const { strict, files } = parseArgs(args);
    const results = await Promise.all(files.map(lintFile));
    let errors = 0;
    let warnings = 0;
    for (const result of results) {
      if (result.failure !== undefined) {
        io.stdout.write(`${result.failure}\n`);
        errors++;
      }
      for (const finding of result.findings) {
        io.stdout.write(`${formatFinding(finding)}\n`);
        if (finding.severity === 'error') errors++;
        else warnings++;
      }
    }
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    io.stdout.write(
      `${plural(files.length, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${strict ? ' (--strict: warnings fail too)' : ''}\n`,
    );
    return errors > 0 || (strict && warnings > 0) ? 1 : 0;
  },
};
