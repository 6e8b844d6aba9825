import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { missingComponent, underCi } from './missing-component';
import { TEST_DOCKER } from './test-docker';

export { GO, SKOPEO, SYSTEM_TAR, type GoTarget, buildGoHello } from './go-hello';
/** The docker CLI of the integration tests: the one every test uses (test-docker.ts). */
export const DOCKER = TEST_DOCKER;

/** A fresh directory under os.tmpdir() and a function that removes it. */
export async function tempDir(
  prefix: string,
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `crossdock-oci-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * `it` when the external tool at `path` exists; otherwise, by the policy of
 * missing-component.ts, a failing test under CI=true or `it.skip` with a loud warning.
 */
export function itWithTool(path: string, what: string): typeof it | typeof it.skip {
  if (existsSync(path)) return it;
  const message = `${what} is missing: ${path} does not exist; install it (see tools/scripts)`;
  if (underCi())
    return ((name: string) => it(name, () => missingComponent(message))) as unknown as typeof it;
  missingComponent(message);
  return it.skip;
}

/**
 * True when a Docker engine answers `docker info`. Otherwise false after a loud skip (the
 * caller returns early), or a failure under CI=true.
 */
export async function dockerEngineAvailable(why: string): Promise<boolean> {
  const { execa } = await import('execa');
  const ok =
    existsSync(DOCKER) &&
    (await execa(DOCKER, ['info'], { reject: false, timeout: 20_000 })).exitCode === 0;
  return (
    ok ||
    missingComponent(
      `${why} needs a running Docker engine, and \`${DOCKER} info\` does not answer (start it with tools/scripts/setup-engines.sh)`,
    )
  );
}
