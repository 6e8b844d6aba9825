import { formatPlatform } from '@crossdock/platform';
import { MediaType } from '@crossdock/oci';
import { writeIndexManifest, type CredentialStore, type RetryPolicy } from '@crossdock/registry';
import { normalizeOptions } from '../../options/normalize-options';
import type { Runner } from '../../support/process/runner';
import type { PushFlags } from '../push/push-flags';
import { writePushRecord } from '../push/push-record';
import { openPushSession } from '../push/push-session';
import {
  indexProvenance,
  reportSigned,
  signAndAttest,
  signatureRecord,
  type SignedManifest,
} from '../push/push-signatures';
import { projectTags } from '../push/tags';
import type { Reporter } from '../../support/report/reporter';
import { loadSignKey } from '../signing/load-sign-key';
import { checkCellDigests, readCellDigests } from './digest-records';
import { mergeIndex } from './merge-index';
import { indexAnnotationChanges } from './user-annotations';

/** Everything one merge needs, given by the CLI (no globals read here). */
export interface RunMergeRequest {
  readonly workspaceRoot: string;
  readonly project: string;
  /** The options of the project's image target, as the project graph holds them. */
  readonly imageOptions: Readonly<Record<string, unknown>>;
  /** The directory holding the cells' digest records (absolute). */
  readonly digestsDir: string;
  readonly flags: PushFlags;
  /** Tags given on the command line; none means the project's configured tags. */
  readonly tags: readonly string[];
  /** --sign-key, over the project's signKey option. */
  readonly signKey?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly dockerCredentials: CredentialStore;
  readonly runner: Runner;
  readonly reporter: Reporter;
  readonly retry?: Partial<RetryPolicy>;
}

/**
 * One index from a project's CI cells: checks the digest records against the configured
 * platforms, signs before any tag moves (with a key), tags, prints every reference and
 * writes the push record. Registry errors are explained as a push's are.
 */
export async function runMerge(request: RunMergeRequest): Promise<{ recordPath: string }> {
  const { project, flags, reporter } = request;
  const options = normalizeOptions(project, [
    { source: `${project}'s image target`, values: request.imageOptions },
  ]);
  const cells = checkCellDigests(
    project,
    options.repository,
    options.platforms,
    await readCellDigests(project, request.digestsDir),
  );
  // Before anything is pushed: a missing key or a missing or wrong password stops here.
  const key = await loadSignKey(
    project,
    request.workspaceRoot,
    request.signKey ?? options.signKey,
    request.env,
  );
  const session = openPushSession({
    project,
    action: 'merge into',
    flags,
    repository: options.repository,
    env: request.env,
    dockerCredentials: request.dockerCredentials,
    ...(request.retry ? { retry: request.retry } : {}),
  });
  const { client, at, explain, repositoryRef } = session;
  const tags =
    request.tags.length > 0
      ? request.tags
      : (await projectTags(request.runner, request.workspaceRoot, project, options, request.env))
          .tags;
  if (tags.length === 0)
    throw new Error(`${project}: no tag to apply; pass --tag or configure tags`);

  const manifests = cells.map((cell) => ({
    platform: formatPlatform(cell.platform),
    digest: cell.digest,
  }));
  const changes = await indexAnnotationChanges(
    request.runner,
    request.workspaceRoot,
    project,
    options,
    request.env,
  );
  const merged = await explain(() => mergeIndex(client, options.repository, cells, changes));
  let signed: SignedManifest | undefined;
  const sign =
    key &&
    (async (digest: string) => {
      const signing = { client, repository: options.repository, key, project, options };
      signed = await signAndAttest(
        signing,
        'index',
        digest,
        indexProvenance(signing, digest, merged.annotations, manifests),
      );
    });
  const indexDigest = await explain(() =>
    writeIndexManifest(
      client,
      options.repository,
      { digest: merged.digest, bytes: merged.bytes, mediaType: MediaType.ociIndex },
      tags,
      sign,
    ),
  );
  for (const manifest of manifests)
    reporter.step(`${manifest.platform.padEnd(14)} ${at(manifest.digest)}`);
  reporter.step(`${'index'.padEnd(14)} ${at(indexDigest)}`);
  if (signed) reportSigned(reporter, repositoryRef, [signed]);
  const references = tags.map((tag) => `${repositoryRef}:${tag}@${indexDigest}`);
  for (const reference of references) reporter.step(`${'tagged'.padEnd(14)} ${reference}`);
  const stats = client.stats();
  reporter.step(
    `blobs: ${stats.blobs.uploaded} uploaded, ${stats.blobs.mounted} mounted (a merge moves no layer)${session.credentialNote()}`,
  );
  const recordPath = await writePushRecord(request.workspaceRoot, {
    project,
    registry: flags.registry,
    repository: options.repository,
    tags,
    references,
    indexDigest,
    platforms: manifests,
    blobs: { ...stats.blobs, bytesUploaded: stats.bytesUploaded },
    ...(signed ? { signatures: [signatureRecord(signed)] } : {}),
  });
  reporter.step(`push record: ${recordPath}`);
  return { recordPath };
}
