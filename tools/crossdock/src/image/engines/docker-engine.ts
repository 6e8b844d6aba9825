import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  imageFromConfigBytes,
  indexFromImages,
  layerFromBlob,
  type Image,
  type Layer,
} from '@crossdock/oci';
import { writeOciLayout } from '@crossdock/oci-layout';
import {
  formatPlatform,
  normalizePlatform,
  platformMatches,
  type Platform,
} from '@crossdock/platform';
import { indexAnnotations, manifestAnnotations, type ImagePlan } from '../plan';
import type { Runner } from '../../support/process/runner';
import { formatBytes, formatDuration } from '../../support/report/format';
import {
  describeDockerCli,
  detectDockerCli,
  DockerUnavailableError,
  type DockerCli,
} from '../../support/docker/docker-cli';
import { BuildxBuilderError } from '../../support/docker/buildx-builder';
import { buildxOciArgs } from './docker-build';
import { buildxOptions } from './buildx-options';
import { describeRunSteps, runSteps } from './buildkit-log';
import { DockerEngineError } from './docker-errors';
import { buildEachPlatform, runDockerBuild, type DockerBuiltImages } from './docker-per-platform';
import type {
  BuiltPlatform,
  ContextBuildRequest,
  Engine,
  EngineBuildRequest,
  EngineResult,
} from './engine';
import { extractOciArchive, imagesForPlatforms } from './oci-archive';

/** What the docker engine needs from its composition root. */
export interface DockerEngineDeps {
  readonly runner: Runner;
  /** Finds the docker CLI and build path; replaceable in tests. */
  readonly detect?: (runner: Runner) => Promise<DockerCli>;
}

/**
 * The docker engine: BuildKit builds the generated context (dist/context/<project>), then the
 * images are taken out of Docker and written as the same OCI layout as the builtin engine's
 * (one index, one manifest per platform, the plan's annotations on both), so smoke, push and
 * everything downstream see no difference. With buildx (and a builder that can export OCI)
 * one build covers every platform; otherwise one build per platform, `docker save`, and the
 * temporary tags are removed.
 */
export function createDockerEngine(deps: DockerEngineDeps): Engine {
  const detect = deps.detect ?? detectDockerCli;
  return {
    name: 'docker',
    async build(given: EngineBuildRequest): Promise<EngineResult> {
      const { plan, reporter, contextDir } = given;
      if (contextDir === undefined)
        throw new Error(
          `${plan.project}: the docker engine builds from the generated context, and none was written`,
        );
      const request: ContextBuildRequest = { ...given, contextDir };
      let cli: DockerCli;
      try {
        cli = await detect(deps.runner);
      } catch (error) {
        if (error instanceof DockerUnavailableError || error instanceof BuildxBuilderError)
          throw new DockerEngineError(plan.project, error.message, { cause: error });
        throw error;
      }
      reporter.step(`docker engine: ${describeDockerCli(cli)}`);
      for (const note of cli.notes) reporter.step(`  (${note})`);
      const scratch = await mkdtemp(join(tmpdir(), 'crossdock-docker-'));
      try {
        const built =
          cli.path === 'buildx-oci'
            ? await buildWithBuildx(deps.runner, cli, request, scratch)
            : await buildEachPlatform({
                runner: deps.runner,
                cli,
                request,
                scratch,
                nonce: randomBytes(4).toString('hex'),
              });
        return await writeLayout(request, built);
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    },
  };
}

/** One `docker buildx build` for every platform, exported as an OCI layout tar and read back. */
async function buildWithBuildx(
  runner: Runner,
  cli: DockerCli,
  request: ContextBuildRequest,
  scratch: string,
): Promise<DockerBuiltImages> {
  const { plan } = request;
  const platforms = plan.platforms.map((p) => p.platform);
  const dest = join(scratch, 'oci.tar');
  const options = buildxOptions(plan, cli);
  request.reporter.step(options.summary);
  const args = buildxOciArgs({
    platforms,
    contextDir: request.contextDir,
    dest,
    attestationFlags: cli.buildx?.attestationFlags ?? false,
    ...options.build,
  });
  const { durationMs, log } = await runDockerBuild(
    runner,
    cli,
    args,
    plan.project,
    platforms.map(formatPlatform).join(','),
    request.contextDir,
  );
  request.reporter.step(describeRunSteps(runSteps(log), options.native));
  const layoutDir = join(scratch, 'oci');
  await mkdir(layoutDir);
  try {
    await extractOciArchive(dest, layoutDir);
    const images = await imagesForPlatforms(layoutDir, platforms);
    // The layout's blobs are read lazily: take every layer into memory before the scratch dir goes.
    const loaded = await Promise.all(
      images.map(async (image) =>
        imageFromConfigBytes(
          image.configBytes(),
          await Promise.all(image.layers.map(inMemoryLayer)),
        ),
      ),
    );
    return { images: loaded, durationsMs: platforms.map(() => durationMs) };
  } catch (error) {
    throw new DockerEngineError(
      plan.project,
      `cannot read the OCI layout docker buildx wrote (${dest}): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** The same layer with its compressed bytes held in memory. */
async function inMemoryLayer(layer: Layer): Promise<Layer> {
  const bytes = await layer.open();
  return layerFromBlob(layer.descriptor, layer.diffId, async () => bytes);
}

/** Checks each image is for its platform, puts the plan's annotations on it, and writes the layout. */
async function writeLayout(
  request: EngineBuildRequest,
  built: DockerBuiltImages,
): Promise<EngineResult> {
  const { plan, reporter } = request;
  const images = built.images.map((image, i) => {
    const platform = plan.platforms[i]!.platform;
    checkPlatform(plan, platform, image);
    // The config bytes stay docker's own (the config digest is the docker image ID); the
    // manifest is new and carries the same annotations as the builtin engine's. Base layers
    // keep the base's blobs (docker save recompresses them), so a push can mount them.
    return imageFromConfigBytes(
      image.configBytes(),
      reuseBaseLayers(image, request.base.imageFor(platform)),
      manifestAnnotations(plan, plan.platforms[i]!),
    );
  });
  const platforms: BuiltPlatform[] = images.map((image, i) => {
    const platform = plan.platforms[i]!.platform;
    const size =
      image.manifest.config.size + image.manifest.layers.reduce((sum, l) => sum + l.size, 0);
    const durationMs = built.durationsMs[i] ?? 0;
    reporter.step(
      `${formatPlatform(platform)}  image built by docker in ${formatDuration(durationMs)}  ${formatBytes(size)}  ${image.digest.slice(0, 19)}`,
    );
    return { platform, manifestDigest: image.digest, size, durationMs };
  });
  const index = indexFromImages(images, indexAnnotations(plan));
  await writeOciLayout(request.layoutDir, index, { refName: 'latest' });
  return { indexDigest: index.digest, platforms };
}

/** The image's layers, with each one that has the diff_id of the base's layer at the same position replaced by the base's. */
function reuseBaseLayers(image: Image, baseImage: Image): Layer[] {
  return image.layers.map((layer, i) => {
    const baseLayer = baseImage.layers[i];
    return baseLayer !== undefined && baseLayer.diffId === layer.diffId ? baseLayer : layer;
  });
}

function checkPlatform(plan: ImagePlan, wanted: Platform, image: Image): void {
  const { os, architecture, variant } = image.config;
  const got = normalizePlatform({ os, architecture, ...(variant ? { variant } : {}) });
  if (!platformMatches(wanted, got)) {
    throw new DockerEngineError(
      plan.project,
      `docker built a ${formatPlatform(got)} image when ${formatPlatform(wanted)} was asked for; the daemon may not support --platform (is BuildKit enabled?)`,
    );
  }
}
