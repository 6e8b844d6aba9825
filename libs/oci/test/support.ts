import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';

/** A fresh directory under os.tmpdir() and a function that removes it. */
export async function tempDir(
  prefix: string,
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `crossdock-oci-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * `it` when the external tool at `path` exists; otherwise `it.skip` with a loud warning,
 * or a failing test under CI=true, where every integration component must be present.
 */
export function itWithTool(path: string, what: string): typeof it | typeof it.skip {
  if (existsSync(path)) return it;
  if (process.env.CI === 'true') {
    return ((name: string) =>
      it(name, () => {
        throw new Error(
          `${what} is required under CI but ${path} is missing; install it (see tools/scripts)`,
        );
      })) as unknown as typeof it;
  }
  console.warn(`SKIPPING integration test: ${what} not found at ${path}`);
  return it.skip;
}

export { GO, SKOPEO, SYSTEM_TAR, type GoTarget, buildGoHello } from './go-hello';

/** The docker CLI the integration tests use (it honours DOCKER_HOST). */
export const DOCKER = '/usr/local/bin/docker';

/**
 * True when a Docker engine answers `docker info`. Otherwise warns and returns false
 * (the caller returns early: a loud skip), or throws under CI=true.
 */
export async function dockerEngineAvailable(why: string): Promise<boolean> {
  const { execa } = await import('execa');
  const ok =
    existsSync(DOCKER) &&
    (await execa(DOCKER, ['info'], { reject: false, timeout: 20_000 })).exitCode === 0;
  if (ok) return true;
  if (process.env.CI === 'true')
    throw new Error(
      `a running Docker engine is required under CI for ${why} (start it with tools/scripts)`,
    );
  console.warn(`SKIPPING ${why}: no Docker engine answers \`docker info\``);
  return false;
}
