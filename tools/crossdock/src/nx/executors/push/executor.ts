import { join } from 'node:path';
import { platformSlug } from '@crossdock/platform';
import type { PushFlags } from '../../../publish/push/push-flags';
import type { BuiltImage } from '../../../publish/sink';
import { SINKS } from '../../../publish/sinks';
import { DIST } from '../../../support/workspace/dist-paths';
import { taskExecutor, type TaskContext } from '../../executor-context';
import { runImageBuild } from '../image/run-image-build';
import { sinkTask } from '../sink-task';

/** One push task; false when it failed, said through the reporter. */
export const pushTask = sinkTask(SINKS.push, buildCellImage);

/**
 * Pushes the project's image (dist/images/<project>) to --registry: blobs, manifests, the
 * index, then every tag; or with --platform and --by-digest one platform's manifest,
 * untagged. The registry: --registry, else CROSSDOCK_REGISTRY, else the registry option. Credentials come from --username with --password-env, or from the Docker
 * config ($DOCKER_CONFIG/config.json, else ~/.docker/config.json).
 */
export default taskExecutor(pushTask);

/**
 * A CI matrix cell (the push--<slug> targets) depends only on its platform's compile: it
 * builds that platform's image alone into dist/cells/<project>/<slug> and pushes from there.
 * An ordinary push delivers dist/images/<project> as located.
 */
async function buildCellImage(
  image: BuiltImage,
  flags: PushFlags,
  { workspaceRoot, project, projectRoot, reporter }: TaskContext,
): Promise<BuiltImage> {
  if (!flags.cell || !flags.platform) return image;
  const cellDir = join(workspaceRoot, DIST.cellDir(project, platformSlug(flags.platform)));
  const dirs = {
    layoutDir: join(cellDir, 'image'),
    contextDir: join(cellDir, 'context'),
    sbomDir: join(cellDir, 'sbom'),
  };
  await runImageBuild(
    workspaceRoot,
    { name: project, root: projectRoot },
    { ...image.options, platforms: [flags.platform] },
    reporter,
    { outputDirs: dirs },
  );
  return { ...image, layoutDir: dirs.layoutDir, sbomDir: dirs.sbomDir };
}
