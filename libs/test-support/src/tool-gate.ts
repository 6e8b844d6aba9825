import { findProgram } from './find-program';
import { underCi } from './missing-component';

/** Whether an integration suite can run: which external programs are missing, and whether CI demands them. */
export interface ToolGate {
  readonly ok: boolean;
  readonly missing: readonly string[];
  /** True under CI=true: a missing program fails the suite instead of skipping it. */
  readonly ci: boolean;
  /** A message naming the suite, the missing programs and how to get them. */
  readonly message: string;
}

/**
 * Checks that `programs` are executables on `env.PATH`. The caller registers a failing
 * test when `ci` and not `ok`, or skips loudly otherwise.
 */
export function toolGate(
  suite: string,
  programs: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ToolGate {
  const missing = programs.filter((program) => findProgram(program, { env }) === undefined);
  const ci = underCi(env);
  const message =
    missing.length === 0
      ? `${suite}: all of ${programs.join(', ')} found`
      : `${suite} needs ${missing.join(', ')} on PATH (Debian: apt-get install docker-registry skopeo apache2-utils openssl)` +
        (ci ? '; CI=true, so this is a failure' : '; skipping these tests');
  return { ok: missing.length === 0, missing, ci, message };
}
