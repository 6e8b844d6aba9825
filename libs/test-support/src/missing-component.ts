/** True under CI=true, where every component a test needs must be present. */
export function underCi(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env['CI'] === 'true';
}

/**
 * The one policy for a test whose component (a program, a daemon, a file) is missing: under
 * CI=true it is a failure (throws `message`); on a developer's machine the test is skipped
 * loudly (a warning) and this returns false, for `if (!available) return` or `skipIf`.
 */
export function missingComponent(
  message: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): false {
  if (underCi(env)) throw new Error(`${message} (CI=true, so this fails instead of skipping)`);
  console.warn(`SKIPPED: ${message}`);
  return false;
}
