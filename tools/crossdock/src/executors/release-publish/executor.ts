import { homedir } from 'node:os';
import type { ExecutorContext } from '@nx/devkit';
import { dockerCredentials } from '../../credentials/docker-config';
import { configuredTargetOptions, projectOf } from '../../nx/executor-context';
import { normalizeOptions } from '../../options/normalize-options';
import { execaRunner } from '../../process/runner';
import { runReleasePublish } from '../../release/run-release-publish';
import { consoleReporter } from '../../report/reporter';

/**
 * What `nx release publish` passes to every nx-release-publish target (npm's options among
 * them); crossdock reads dryRun only.
 */
export const NX_RELEASE_KEYS: ReadonlySet<string> = new Set([
  'dryRun',
  'verbose',
  'registry',
  'tag',
  'access',
  'otp',
  'firstRelease',
  'packageRoot',
]);

/**
 * The nx-release-publish target of a Go app: pushes the released version's image tagged
 * `1.4.0`, `1.4`, `1` (and `latest` for the newest stable release) to CROSSDOCK_REGISTRY
 * or the registry option; with --dry-run prints what it would push.
 */
export default async function releasePublishExecutor(
  rawOptions: Record<string, unknown>,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const { name } = projectOf(context);
  const reporter = consoleReporter(name);
  try {
    const options = normalizeOptions(
      name,
      [{ source: 'the nx-release-publish target options', values: rawOptions }],
      NX_RELEASE_KEYS,
    );
    const configured = configuredTargetOptions(context)['registry'];
    await runReleasePublish({
      workspaceRoot: context.root,
      project: name,
      options,
      ...(typeof configured === 'string' ? { registryOption: configured } : {}),
      dryRun: rawOptions['dryRun'] === true || rawOptions['dryRun'] === 'true',
      env: process.env,
      runner: execaRunner,
      reporter,
      dockerCredentials: await dockerCredentials(process.env, homedir()),
    });
    return { success: true };
  } catch (error) {
    reporter.block(`[${name}] nx-release-publish failed: ${(error as Error).message}`);
    return { success: false };
  }
}
