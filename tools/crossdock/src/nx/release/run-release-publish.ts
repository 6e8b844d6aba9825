import type { CrossdockOptions } from '../../options/normalize-options';
import { OptionsError } from '../../options/options-error';
import { nxBin } from '../nx-cli';
import { tail, type Runner } from '../../support/process/runner';
import { chooseRegistry, REGISTRY_ENV } from '../../publish/push/registry-source';
import type { Reporter } from '../../support/report/reporter';
import { parsePushFlags } from '../../publish/push/push-flags';
import { runPush } from '../../publish/push/run-push';
import type { CredentialStore } from '@crossdock/registry';
import { parseSemver, releaseTags } from './release-tags';
import { releasedVersions } from './released-versions';

/** Everything one project's `nx release publish` needs (no globals read here). */
export interface ReleasePublishRequest {
  readonly workspaceRoot: string;
  readonly project: string;
  readonly options: CrossdockOptions;
  /** The registry option as configured (nx release's own --registry is npm's, never read). */
  readonly registryOption?: string;
  readonly dryRun: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly runner: Runner;
  readonly reporter: Reporter;
  /** The Docker config credential store (the executor loads it). */
  readonly dockerCredentials: CredentialStore;
}

/**
 * Publishes one released project: its version (nx release version wrote it into
 * project.json) gives the tags (`1.4.0`, `1.4`, `1`, `latest` as releaseTags decides); the
 * image target runs through Nx (what is not cached is built, with the version stamped into
 * the binary through the ldflags and the version label), then the push with those tags. With dryRun it prints
 * what it would push and runs nothing.
 */
export async function runReleasePublish(request: ReleasePublishRequest): Promise<string[]> {
  const { project, options, reporter } = request;
  if (!parseSemver(options.version))
    throw new OptionsError(
      project,
      'version',
      `is "${options.version}", not a release version; run nx release version first (it writes the version into project.json)`,
    );
  const registry = chooseRegistry(undefined, {
    env: request.env,
    ...(request.registryOption !== undefined ? { option: request.registryOption } : {}),
  });
  if (registry === undefined)
    throw new OptionsError(
      project,
      'registry',
      `is required to publish: set ${REGISTRY_ENV} or the registry option (nx release publish's --registry is npm's)`,
    );
  const released = await releasedVersions(request.runner, request.workspaceRoot, project);
  const tags = releaseTags(options.version, released);
  const where = `${registry}/${options.repository}`;
  if (request.dryRun) {
    for (const tag of tags) reporter.step(`[dry-run] would push ${where}:${tag}`);
    reporter.step(
      `[dry-run] version ${options.version}: stamped through the ldflags, label org.opencontainers.image.version=${options.version}; nothing was built or pushed`,
    );
    return tags;
  }
  reporter.step(`publishing ${project} ${options.version} to ${where} (tags: ${tags.join(', ')})`);
  // The image through Nx (cached; built with the released version when it is not).
  const result = await request.runner.run(
    'node',
    [nxBin(request.workspaceRoot), 'run', `${project}:image`, '--outputStyle=static'],
    { cwd: request.workspaceRoot, env: { NX_TUI: 'false' }, allowFailure: true },
  );
  if (result.exitCode !== 0)
    throw new Error(
      `nx run ${project}:image failed (exit ${result.exitCode}); nothing was pushed:\n${tail(result.stdout + result.stderr, 20)}`,
    );
  await runPush({
    workspaceRoot: request.workspaceRoot,
    project,
    options: { ...options, tags },
    flags: parsePushFlags(project, {}, { env: { [REGISTRY_ENV]: registry } }),
    env: request.env,
    dockerCredentials: request.dockerCredentials,
    runner: request.runner,
    reporter,
  });
  return tags;
}
