import { homedir } from 'node:os';
import { dockerCredentials } from '../../../publish/credentials/docker-config';
import { taskExecutor, type TaskContext } from '../../executor-context';
import { normalizeOptions } from '../../../options/normalize-options';
import { processRunner } from '../../../support/process/runner';
import { runReleasePublish } from '../../release/run-release-publish';

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
export default taskExecutor(releasePublishTask);

/** One nx-release-publish task; false when it failed, said through the reporter. */
export async function releasePublishTask(
  rawOptions: Record<string, unknown>,
  { workspaceRoot, project: name, configuredOptions, reporter }: TaskContext,
): Promise<boolean> {
  try {
    const options = normalizeOptions(
      name,
      [{ source: 'the nx-release-publish target options', values: rawOptions }],
      NX_RELEASE_KEYS,
    );
    const configured = configuredOptions['registry'];
    await runReleasePublish({
      workspaceRoot,
      project: name,
      options,
      ...(typeof configured === 'string' ? { registryOption: configured } : {}),
      dryRun: rawOptions['dryRun'] === true || rawOptions['dryRun'] === 'true',
      env: process.env,
      runner: processRunner,
      reporter,
      dockerCredentials: await dockerCredentials(process.env, homedir()),
    });
    return true;
  } catch (error) {
    reporter.block(`[${name}] nx-release-publish failed: ${(error as Error).message}`);
    return false;
  }
}
