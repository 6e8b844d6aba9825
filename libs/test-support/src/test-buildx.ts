import { spawnSync } from 'node:child_process';
import { missingComponent } from './missing-component';
import { TEST_DOCKER } from './test-docker';

/**
 * The `remote` buildx builder that tools/scripts/setup-buildkit.sh creates: buildx v0.38.2 as
 * a CLI plugin in a docker config directory of its own, pointing at a standalone buildkitd
 * v0.34.2 (runc worker, unix socket). Tests add `env` to a command to use it; nothing else on
 * the machine sees that plugin.
 */
export const TEST_BUILDX = {
  dockerConfig:
    process.env['CROSSDOCK_BUILDX_CONFIG'] ?? '/var/lib/crossdock-buildkit/docker-config',
  builder: 'crossdock-remote',
  socket: 'unix:///run/crossdock-buildkit/buildkitd.sock',
  get env(): Record<string, string> {
    return { DOCKER_CONFIG: this.dockerConfig, BUILDX_BUILDER: this.builder };
  },
} as const;

/**
 * Whether the test builder answers (`docker buildx inspect --bootstrap` lists its platforms).
 * When it does not: a failure under CI=true, a loud skip (false) elsewhere.
 */
export function buildxBuilderAvailable(suite: string): boolean {
  const inspect = spawnSync(
    TEST_DOCKER,
    ['buildx', 'inspect', '--bootstrap', TEST_BUILDX.builder],
    {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, ...TEST_BUILDX.env },
    },
  );
  if (inspect.status === 0 && /^Platforms:/m.test(inspect.stdout)) return true;
  const why = (inspect.stderr || String(inspect.error ?? '')).trim().split('\n').pop();
  return missingComponent(
    `${suite} needs the buildx builder ${TEST_BUILDX.builder} (DOCKER_CONFIG=${TEST_BUILDX.dockerConfig}), which does not answer (${why}); run tools/scripts/setup-buildkit.sh`,
  );
}
