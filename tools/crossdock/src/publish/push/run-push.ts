import { type CredentialStore, type RegistryStats, type RetryPolicy } from '@crossdock/registry';
import { type ImageIndex } from '@crossdock/oci';
import { formatPlatform } from '@crossdock/platform';
import type { CrossdockOptions } from '../../options/normalize-options';
import { OptionsError } from '../../options/options-error';
import type { Runner } from '../../support/process/runner';
import { formatBytes } from '../../support/report/format';
import type { Reporter } from '../../support/report/reporter';
import type { PushFlags } from './push-flags';
import { pushProjectIndex, pushProjectPlatform } from './push-layout';
import { writeDigestRecord, writePushRecord, type BlobCounts } from './push-record';
import { projectTags } from './tags';
import { attachSboms, type AttachedSbom } from './push-sboms';
import { join } from 'node:path';
import { DIST } from '../../support/workspace/dist-paths';
import { loadSignKey } from '../signing/load-sign-key';
import {
  reportSigned,
  signatureRecord,
  signIndexImages,
  type SignedManifest,
  type SignRequest,
} from './push-signatures';
import { readProjectIndex } from './push-layout';
import { openPushSession } from './push-session';

/** Everything one push needs, given by the executor (no globals read here). */
export interface RunPushRequest {
  readonly workspaceRoot: string;
  readonly project: string;
  /** The crossdock options and the push flags, read once by the executor (readPushTargetOptions). */
  readonly options: CrossdockOptions;
  readonly flags: PushFlags;
  /** The environment, for the variable named by --password-env. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The Docker config credential store (the executor loads it from DOCKER_CONFIG or ~/.docker). */
  readonly dockerCredentials: CredentialStore;
  readonly runner: Runner;
  readonly reporter: Reporter;
  /** The OCI layout to push, when not dist/images/<project> (a CI cell's own one-platform layout). */
  readonly layoutDir?: string;
  /** The SBOMs to attach, when not dist/sbom/<project>. */
  readonly sbomDir?: string;
  /** Retry bounds of the registry client (defaults: the client's); tests shorten them. */
  readonly retry?: Partial<RetryPolicy>;
}

/** What a push did, for callers and tests: the record path and the client's request counts. */
export interface RunPushResult {
  readonly recordPath: string;
  readonly stats: RegistryStats;
}

/**
 * The push target of one project: a tagged push of the whole index (every configured tag),
 * or with --platform and --by-digest one platform's manifest, untagged. Prints every
 * reference with its digest and writes the record under dist/.
 */
export async function runPush(request: RunPushRequest): Promise<RunPushResult> {
  const { project, reporter } = request;
  const { options, flags } = request;
  // Before anything is pushed: a missing key or a missing or wrong password stops here.
  const key = await loadSignKey(project, request.workspaceRoot, options.signKey, request.env);
  const session = openPushSession({
    project,
    action: 'push to',
    flags,
    repository: options.repository,
    env: request.env,
    dockerCredentials: request.dockerCredentials,
    ...(request.retry ? { retry: request.retry } : {}),
  });
  const { client, repositoryRef, at, explain } = session;
  const target = {
    workspaceRoot: request.workspaceRoot,
    project,
    client,
    repository: options.repository,
    ...(request.layoutDir ? { layoutDir: request.layoutDir } : {}),
  };

  const signing: SignRequest | undefined = key && {
    client,
    repository: options.repository,
    key,
    project,
    options,
  };
  const { platform } = flags;
  const sbomDir = request.sbomDir ?? join(request.workspaceRoot, DIST.sbomDir(project));
  if (flags.byDigest && platform) {
    reporter.step(`pushing ${formatPlatform(platform)} by digest to ${repositoryRef} (no tag)`);
    const pushed = await explain(() => pushProjectPlatform(target, platform));
    const blobs = blobCounts(client.stats());
    reportBlobs(reporter, blobs, session.credentialNote());
    reporter.step(`${pushed.platform}  ${at(pushed.digest)}`);
    const signed = signing
      ? await explain(async () =>
          signIndexImages(
            signing,
            await readProjectIndex(request.workspaceRoot, project, request.layoutDir),
            { only: platform },
          ),
        )
      : [];
    reportSigned(reporter, repositoryRef, signed);
    await reportSboms(reporter, at, await explain(() => attachSboms(target, sbomDir, platform)));
    const recordPath = await writeDigestRecord(
      request.workspaceRoot,
      {
        project,
        registry: flags.registry,
        repository: options.repository,
        platform: pushed.platform,
        digest: pushed.digest,
        reference: at(pushed.digest),
        blobs,
        ...(signed.length > 0 ? { signatures: signed.map(signatureRecord) } : {}),
      },
      platform,
    );
    reporter.step(`digest record: ${recordPath}`);
    return { recordPath, stats: client.stats() };
  }

  const expanded = await projectTags(
    request.runner,
    request.workspaceRoot,
    project,
    options,
    request.env,
  );
  for (const { template, reason } of expanded.skipped)
    reporter.warn(`tag ${template} skipped: ${reason}`);
  if (expanded.tags.length === 0)
    throw new OptionsError(
      project,
      'tags',
      `gives no tag to push (${options.tags.join(', ') || 'empty'}); set tags, e.g. ["latest", "{version}"]`,
    );
  reporter.step(`pushing to ${repositoryRef} (tags: ${expanded.tags.join(', ')})`);
  let signed: SignedManifest[] = [];
  // Signatures go on before any tag moves: a tag never names an unsigned image.
  const sign =
    signing &&
    (async (index: ImageIndex, indexDigest: string) => {
      signed = await signIndexImages(signing, index, { indexDigest });
    });
  const pushed = await explain(() => pushProjectIndex(target, expanded.tags, sign));
  const blobs = blobCounts(client.stats());
  reportBlobs(reporter, blobs, session.credentialNote(), pushed.mountFrom);
  for (const platform of pushed.platforms)
    reporter.step(`${platform.platform.padEnd(14)} ${at(platform.digest)}`);
  reporter.step(`${'index'.padEnd(14)} ${at(pushed.indexDigest)}`);
  reportSigned(reporter, repositoryRef, signed);
  await reportSboms(reporter, at, await explain(() => attachSboms(target, sbomDir)));
  const references = pushed.tags.map((tag) => `${repositoryRef}:${tag}@${pushed.indexDigest}`);
  for (const reference of references) reporter.step(`${'tagged'.padEnd(14)} ${reference}`);
  const recordPath = await writePushRecord(request.workspaceRoot, {
    project,
    registry: flags.registry,
    repository: options.repository,
    tags: pushed.tags,
    references,
    indexDigest: pushed.indexDigest,
    platforms: pushed.platforms,
    blobs,
    ...(signed.length > 0 ? { signatures: signed.map(signatureRecord) } : {}),
  });
  reporter.step(`push record: ${recordPath}`);
  return { recordPath, stats: client.stats() };
}

async function reportSboms(
  reporter: Reporter,
  at: (digest: string) => string,
  sboms: readonly AttachedSbom[],
): Promise<void> {
  for (const sbom of sboms)
    reporter.step(
      `${`sbom ${sbom.platform}`.padEnd(14)} ${at(sbom.digest)} (${sbom.format}, refers to ${sbom.subject.slice(0, 19)})`,
    );
}

function blobCounts(stats: RegistryStats): BlobCounts {
  return { ...stats.blobs, bytesUploaded: stats.bytesUploaded };
}

function reportBlobs(
  reporter: Reporter,
  blobs: BlobCounts,
  credentialNote: string,
  mountFrom: readonly string[] = [],
): void {
  const mounted = blobs.mounted > 0 && mountFrom.length > 0 ? ` from ${mountFrom.join(', ')}` : '';
  reporter.step(
    `blobs: ${blobs.uploaded} uploaded (${formatBytes(blobs.bytesUploaded)}), ${blobs.mounted} mounted${mounted}, ${blobs.exists} already there${credentialNote}`,
  );
}
