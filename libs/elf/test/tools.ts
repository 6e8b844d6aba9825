import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';

/**
 * The first executable called `name` on PATH or in `extraDirs` (for Go, which Debian
 * images keep in /usr/local/go/bin, often off PATH), or undefined.
 */
export function findExecutable(
  name: string,
  extraDirs: readonly string[] = [],
): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return undefined;
}

/** The external programs the ELF tests use; absent ones are undefined. */
export interface TestTools {
  readonly go?: string;
  readonly gcc?: string;
  readonly file?: string;
}

/** Looks up go, gcc and file once, for a test file's top level. */
export function locateTestTools(): TestTools {
  return {
    go: findExecutable('go', ['/usr/local/go/bin']),
    gcc: findExecutable('gcc'),
    file: findExecutable('file'),
  };
}

/**
 * Reports a missing external program: under CI=true that is a failure (throws); on a
 * developer machine it warns loudly and returns true so the caller can skip.
 */
export function reportMissing(tool: string, purpose: string): true {
  const message = `${tool} not found on PATH: ${purpose}. Install it (Go: /usr/local/go/bin/go; Debian: apt-get install gcc file).`;
  if (process.env.CI === 'true')
    throw new Error(`${message} (CI=true, so this fails instead of skipping)`);
  console.warn(`SKIPPING: ${message}`);
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
