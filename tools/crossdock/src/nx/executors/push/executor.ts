import { homedir } from 'node:os';
import { dockerCredentials } from '../../../publish/credentials/docker-config';
import { execaRunner } from '../../../support/process/runner';
import { runPush } from '../../../publish/push/run-push';
import { taskExecutor, type TaskContext } from '../../executor-context';
import {
  readPushTargetOptions,
  type PushTargetOptions,
} from '../../../publish/push/push-target-options';
import { DIST } from '../../../support/workspace/dist-paths';
import type { Reporter } from '../../../support/report/reporter';
import { runImageBuild } from '../image/run-image-build';
import { join } from 'node:path';
import { platformSlug } from '@crossdock/platform';

/**
 * Pushes the project's image (dist/images/<project>) to --registry: blobs, manifests, the
 * index, then every tag; or with --platform and --by-digest one platform's manifest,
 * untagged. The registry: --registry, else CROSSDOCK_REGISTRY, else the registry option. Credentials come from --username with --password-env, or from the Docker
 * config ($DOCKER_CONFIG/config.json, else ~/.docker/config.json).
 */
export default taskExecutor(pushTask);

/** One push task; false when it failed, said through the reporter. */
export async function pushTask(
  rawOptions: Record<string, unknown>,
  { workspaceRoot, project: name, projectRoot: root, configuredOptions, reporter }: TaskContext,
): Promise<boolean> {
  try {
    const push = readPushTargetOptions(name, rawOptions, {
      env: process.env,
      configured: configuredOptions,
    });
    const cell = await buildCellImage(workspaceRoot, { name, root }, push, reporter);
    await runPush({
      ...(cell ?? {}),
      ...push,
      workspaceRoot,
      project: name,
      env: process.env,
      dockerCredentials: await dockerCredentials(process.env, homedir()),
      runner: execaRunner,
      reporter,
    });
    return true;
  } catch (error) {
    reporter.block(`[${name}] push failed: ${(error as Error).message}`);
    return false;
  }
}

/**
 * A CI matrix cell (the push--<slug> targets) depends only on its platform's compile: it
 * builds that platform's image alone into dist/cells/<project>/<slug> and pushes from there.
 * Returns that layout and SBOM directory, or undefined for an ordinary push of dist/images/<project>.
 */
async function buildCellImage(
  workspaceRoot: string,
  project: { name: string; root: string },
  { options, flags }: PushTargetOptions,
  reporter: Reporter,
): Promise<{ layoutDir: string; sbomDir: string } | undefined> {
  if (!flags.cell || !flags.platform) return undefined;
  const cellDir = join(workspaceRoot, DIST.cellDir(project.name, platformSlug(flags.platform)));
  const dirs = {
    layoutDir: join(cellDir, 'image'),
    contextDir: join(cellDir, 'context'),
    sbomDir: join(cellDir, 'sbom'),
  };
  await runImageBuild(
    workspaceRoot,
    project,
    { ...options, platforms: [flags.platform] },
    reporter,
    dirs,
  );
  return { layoutDir: dirs.layoutDir, sbomDir: dirs.sbomDir };
}
