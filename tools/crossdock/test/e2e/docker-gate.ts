import { spawnSync } from 'node:child_process';
import { TEST_DOCKER } from '../../../../libs/test-support/src/test-docker';
import { toolGate, type ToolGate } from '../../../../libs/test-support/src/tool-gate';

export { TEST_DOCKER } from '../../../../libs/test-support/src/test-docker';

/**
 * Whether a suite that needs a running Docker daemon (and `programs` on PATH) can run. A
 * missing program or an unanswering daemon skips the suite loudly, or fails it under CI=true.
 */
export function dockerGate(
  suite: string,
  programs: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): ToolGate {
  const tools = toolGate(suite, ['docker', ...programs], env);
  if (!tools.ok) return tools;
  const version = spawnSync(TEST_DOCKER, ['version', '--format', '{{.Server.Version}}'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (version.status === 0 && version.stdout.trim() !== '') return tools;
  const reason = `${suite} needs a Docker daemon, and ${TEST_DOCKER} version says: ${(version.stderr || String(version.error ?? '')).trim().split('\n')[0]}; run tools/scripts/setup-engines.sh`;
  return {
    ok: false,
    missing: ['dockerd'],
    ci: tools.ci,
    message: tools.ci
      ? `${reason}; CI=true, so this is a failure`
      : `${reason}; skipping these tests`,
  };
}
