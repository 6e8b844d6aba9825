import { homedir } from 'node:os';
import type { ExecutorContext } from '@nx/devkit';
import { dockerCredentials } from '../../credentials/docker-config';
import { execaRunner } from '../../process/runner';
import { runPush } from '../../push/run-push';
import { consoleReporter } from '../../report/reporter';
import { projectOf } from '../../workspace/executor-context';

/**
 * Pushes the project's image (dist/images/<project>) to --registry: blobs, manifests, the
 * index, then every tag; or with --platform and --by-digest one platform's manifest,
 * untagged. Credentials come from --username with --password-env, or from the Docker
 * config ($DOCKER_CONFIG/config.json, else ~/.docker/config.json).
 */
export default async function pushExecutor(rawOptions: Record<string, unknown>, context: ExecutorContext): Promise<{ success: boolean }> {
  const { name } = projectOf(context);
  const reporter = consoleReporter(name);
  try {
    await runPush({
      workspaceRoot: context.root,
      project: name,
      rawOptions,
      env: process.env,
      dockerCredentials: await dockerCredentials(process.env, homedir()),
      runner: execaRunner,
      reporter,
    });
    return { success: true };
  } catch (error) {
    reporter.block(`[${name}] push failed: ${(error as Error).message}`);
    return { success: false };
  }
}
