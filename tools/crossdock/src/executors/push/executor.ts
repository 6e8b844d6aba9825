import { homedir } from 'node:os';
import type { ExecutorContext } from '@nx/devkit';
import { dockerCredentials } from '../../credentials/docker-config';
import { execaRunner } from '../../process/runner';
import { runPush } from '../../push/run-push';
import { consoleReporter } from '../../report/reporter';
import { configuredTargetOptions, projectOf } from '../../nx/executor-context';
import { readPushTargetOptions, type PushTargetOptions } from '../../push/push-target-options';
import { DIST } from '../../workspace/dist-paths';
import type { Reporter } from '../../report/reporter';
import { runImageBuild } from '../image/run-image-build';
import { join } from 'node:path';
import { platformSlug } from '@crossdock/platform';

/**
 * Pushes the project's image (dist/images/<project>) to --registry: blobs, manifests, the
 * index, then every tag; or with --platform and --by-digest one platform's manifest,
 * untagged. The registry: --registry, else CROSSDOCK_REGISTRY, else the registry option. Credentials come from --username with --password-env, or from the Docker
 * config ($DOCKER_CONFIG/config.json, else ~/.docker/config.json).
 */
export default async function pushExecutor(
  rawOptions: Record<string, unknown>,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const { name, root } = projectOf(context);
  const reporter = consoleReporter(name);
  try {
    const push = readPushTargetOptions(name, rawOptions, {
      env: process.env,
      configured: configuredTargetOptions(context),
    });
    const cell = await buildCellImage(context, { name, root }, push, reporter);
    await runPush({
      ...(cell ?? {}),
      ...push,
      workspaceRoot: context.root,
      project: name,
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

/**
 * A CI matrix cell (the push--<slug> targets) depends only on its platform's compile: it
 * builds that platform's image alone into dist/cells/<project>/<slug> and pushes from there.
 * Returns that layout and SBOM directory, or undefined for an ordinary push of dist/images/<project>.
 */
async function buildCellImage(
  context: ExecutorContext,
  project: { name: string; root: string },
  { options, flags }: PushTargetOptions,
  reporter: Reporter,
): Promise<{ layoutDir: string; sbomDir: string } | undefined> {
  if (!flags.cell || !flags.platform) return undefined;
  const cellDir = join(context.root, DIST.cellDir(project.name, platformSlug(flags.platform)));
  const dirs = {
    layoutDir: join(cellDir, 'image'),
    contextDir: join(cellDir, 'context'),
    sbomDir: join(cellDir, 'sbom'),
  };
  await runImageBuild(
    context.root,
    project,
    { ...options, platforms: [flags.platform] },
    reporter,
    dirs,
  );
  return { layoutDir: dirs.layoutDir, sbomDir: dirs.sbomDir };
}
