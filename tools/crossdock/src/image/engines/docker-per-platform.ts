import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Image, sha256Digest } from '@crossdock/oci';
import { readDockerArchive } from '@crossdock/oci-layout';
import { formatPlatform, platformSlug } from '@crossdock/platform';
import { CommandError, tail, type Runner } from '../../support/process/runner';
import type { DockerCli } from '../../support/docker/docker-cli';
import { dockerSave } from '../../support/docker/docker-archives';
import {
  buildKitEnvArgs,
  buildxLoadArgs,
  removeTagsArgs,
  temporaryTag,
  type SinglePlatformBuild,
} from './docker-build';
import { DockerEngineError } from './docker-errors';
import type { ContextBuildRequest } from './engine';

/** Images in plan order, with how long each took to build. */
export interface DockerBuiltImages {
  readonly images: readonly Image[];
  readonly durationsMs: readonly number[];
}

/** Everything one per-platform docker build run needs. */
export interface PerPlatformInput {
  readonly runner: Runner;
  readonly cli: DockerCli;
  readonly request: ContextBuildRequest;
  /** A private temporary directory (image ID files, the saved archive). */
  readonly scratch: string;
  /** Makes the temporary tags of this run unique. */
  readonly nonce: string;
}

/** A docker build is given this long; a cold hermetic Go build of a big service stays well inside it. */
const BUILD_TIMEOUT_MS = 30 * 60_000;

/**
 * Runs one docker build; resolves with its duration and BuildKit's log (stderr). A failure
 * names the project, the platform(s), the exit code and the tail of BuildKit's log, and how
 * to reproduce it by hand.
 */
export async function runDockerBuild(
  runner: Runner,
  cli: DockerCli,
  args: readonly string[],
  project: string,
  platforms: string,
  contextDir: string,
): Promise<{ durationMs: number; log: string }> {
  try {
    const result = await runner.run(cli.program, args, {
      env: cli.env,
      timeoutMs: BUILD_TIMEOUT_MS,
    });
    return { durationMs: result.durationMs, log: result.stderr };
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    const env = Object.entries(cli.env)
      .map(([k, v]) => `${k}=${v} `)
      .join('');
    throw new DockerEngineError(
      project,
      `docker build for ${platforms} failed (${error.exitCode === undefined ? error.message.split('\n')[0] : `exit ${error.exitCode}`}):\n${tail(error.stderrTail, 25)}\n` +
        `Reproduce: ${env}${cli.program} ${args.join(' ')}   (context ${contextDir})`,
      { cause: error },
    );
  }
}

/**
 * One build per platform, concurrently (BuildKit schedules them), each tagged with a
 * temporary tag; then one `docker save` of all tags, read as OCI images (layers converted,
 * diff_ids kept). The tags are removed afterwards, whether the build worked or not.
 */
export async function buildEachPlatform(input: PerPlatformInput): Promise<DockerBuiltImages> {
  const { runner, cli, request, scratch, nonce } = input;
  const { plan, reporter } = request;
  const builds: SinglePlatformBuild[] = plan.platforms.map(({ platform }) => ({
    platform,
    contextDir: request.contextDir,
    tag: temporaryTag(plan.project, platform, nonce),
    iidFile: join(scratch, `${platformSlug(platform)}.iid`),
  }));
  const tagged: string[] = [];
  try {
    const settled = await Promise.allSettled(
      builds.map(async (build) => {
        const args =
          cli.path === 'buildx-load'
            ? buildxLoadArgs({ ...build, attestationFlags: cli.buildx?.attestationFlags ?? false })
            : buildKitEnvArgs(build);
        const { durationMs } = await runDockerBuild(
          runner,
          cli,
          args,
          plan.project,
          formatPlatform(build.platform),
          request.contextDir,
        );
        tagged.push(build.tag);
        return durationMs;
      }),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const durationsMs = settled.map((s) => (s as PromiseFulfilledResult<number>).value);

    const archive = join(scratch, 'images.tar');
    await dockerSave(
      runner,
      cli,
      builds.map((b) => b.tag),
      archive,
    ).catch((error: unknown) => {
      throw new DockerEngineError(
        plan.project,
        `docker save of the built images failed: ${(error as Error).message}`,
        { cause: error },
      );
    });
    const saved = await readDockerArchive(archive);
    const images = await Promise.all(
      builds.map(async (build) => {
        const imageId = (await readFile(build.iidFile, 'utf8')).trim();
        const found = saved.find(
          (entry) =>
            entry.repoTags.includes(build.tag) ||
            sha256Digest(entry.image.configBytes()) === imageId,
        );
        if (!found)
          throw new DockerEngineError(
            plan.project,
            `docker save did not return the ${formatPlatform(build.platform)} image (${build.tag}, ${imageId})`,
          );
        return found.image;
      }),
    );
    return { images, durationsMs };
  } finally {
    if (tagged.length > 0) {
      const removed = await runner
        .run(cli.program, removeTagsArgs(tagged), { env: cli.env, allowFailure: true })
        .catch((error: unknown) => ({ exitCode: -1, stderr: String(error) }));
      if (removed.exitCode !== 0)
        reporter.warn(
          `could not remove the temporary tags ${tagged.join(' ')}: ${tail(removed.stderr, 3)}`,
        );
    }
  }
}
