import { execa } from 'execa';
import { findProgram } from '../../test-support/src/find-program';
import { missingComponent } from '../../test-support/src/missing-component';

/** The external programs the ELF tests use; absent ones are undefined. */
export interface TestTools {
  readonly go?: string;
  readonly gcc?: string;
  readonly file?: string;
}

/** Looks up go, gcc and file once, for a test file's top level. */
export function locateTestTools(): TestTools {
  return {
    go: findProgram('go', { extraDirs: ['/usr/local/go/bin'] }),
    gcc: findProgram('gcc'),
    file: findProgram('file'),
  };
}

/**
 * Reports a missing external program: under CI=true that is a failure (throws); on a
 * developer machine it warns loudly and returns true so the caller can skip.
 */
export function reportMissing(tool: string, purpose: string): true {
  missingComponent(
    `${tool} not found on PATH: ${purpose}. Install it (Go: /usr/local/go/bin/go; Debian: apt-get install gcc file).`,
  );
  return true;
}

/** Runs a command from an argument array and returns stdout; a failure names the command, exit code and stderr tail. */
export async function runTool(
  command: string,
  args: readonly string[],
  options: { readonly cwd?: string; readonly env?: Readonly<Record<string, string>> } = {},
): Promise<string> {
  const result = await execa(command, [...args], {
    cwd: options.cwd,
    env: options.env,
    extendEnv: options.env === undefined,
    reject: false,
  });
  if (result.exitCode !== 0 || result.failed) {
    const stderrTail = String(result.stderr ?? '')
      .trimEnd()
      .split('\n')
      .slice(-20)
      .join('\n');
    throw new Error(
      `${[command, ...args].join(' ')} failed (exit code ${result.exitCode ?? 'none'}): ${stderrTail || result.shortMessage}`,
    );
  }
  return String(result.stdout);
}
