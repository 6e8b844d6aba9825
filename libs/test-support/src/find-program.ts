import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The first executable called `name` in the directories of `env.PATH`, then `extraDirs` (Go,
 * which Debian images keep in /usr/local/go/bin, often off PATH), or undefined.
 */
export function findProgram(
  name: string,
  options: {
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly extraDirs?: readonly string[];
  } = {},
): string | undefined {
  const env = options.env ?? process.env;
  const dirs = [
    ...(env['PATH'] ?? '').split(delimiter).filter(Boolean),
    ...(options.extraDirs ?? []),
  ];
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
