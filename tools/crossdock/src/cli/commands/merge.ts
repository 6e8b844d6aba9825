import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createRegistryClient, formatReference } from '@crossdock/oci';
import { formatPlatform } from '@crossdock/platform';
import { dockerCredentials } from '../../credentials/docker-config';
import { pushCredentials, recordingStore } from '../../credentials/push-credentials';
import { checkCellDigests, readCellDigests } from '../../merge/digest-records';
import { mergeIndex, pushMergedIndex } from '../../merge/merge-index';
import { normalizeOptions } from '../../options/normalize-options';
import { execaRunner } from '../../process/runner';
import { parsePushFlags } from '../../push/push-flags';
import { writePushRecord } from '../../push/push-record';
import { expandTags } from '../../push/tags';
import { shortHeadCommit } from '../../workspace/git';
import { readProjectGraph } from '../../workspace/nx-cli';
import { UsageError, type CliCommand } from '../command';
import { loadSignKey } from '../../signing/load-sign-key';
import {
  indexProvenance,
  reportSigned,
  signAndAttest,
  signatureRecord,
  type SignedManifest,
} from '../../push/push-signatures';

const USAGE = `usage: crossdock merge <project> --digests=<dir> --registry=<host[:port]> [--tag <tag>]...
                      [--insecure-registry <host>]... [--username <user> --password-env <VAR>]
                      [--sign-key <cosign.key>]

Creates <project>'s image index from the per-platform manifests the CI cells pushed by
digest (their dist/digests/<project>/<slug>.json files, gathered in <dir>), without
uploading any layer and without re-serialising the manifests, then tags it: with each
--tag, or else the project's configured tags. Every configured platform needs exactly
one digest of this project; a missing, duplicate or foreign digest is an error.
Credentials: --username with --password-env, else the Docker config.
With --sign-key (or the project's signKey option) the index is signed and gets a SLSA
provenance attestation listing its manifests, before any tag moves; the key's password
comes from COSIGN_PASSWORD (never a flag).`;

/** `crossdock merge`: one index from a project's CI cells, tagged. */
export const mergeCommand: CliCommand = {
  name: 'merge',
  summary: "merge a project's per-platform digests (CI cells) into one tagged index",
  usage: USAGE,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...args],
        options: {
          digests: { type: 'string' },
          registry: { type: 'string' },
          tag: { type: 'string', multiple: true, default: [] },
          'insecure-registry': { type: 'string', multiple: true, default: [] },
          username: { type: 'string' },
          'password-env': { type: 'string' },
          'sign-key': { type: 'string' },
        },
        strict: true,
        allowPositionals: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    if (positionals.length !== 1)
      throw new UsageError(
        `give exactly one project, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`,
      );
    if (!values.digests) throw new UsageError('--digests=<dir> is required');
    const project = positionals[0];
    const flags = parsePushFlags(project, {
      registry: values.registry,
      insecureRegistry: values['insecure-registry'],
      ...(values.username !== undefined ? { username: values.username } : {}),
      ...(values['password-env'] !== undefined ? { passwordEnv: values['password-env'] } : {}),
    });

    const graph = await readProjectGraph(execaRunner, io.workspaceRoot);
    const imageOptions = graph[project]?.data.targets?.image?.options;
    if (!imageOptions)
      throw new Error(
        `${project} is not a project with an image target (projects with one: ${Object.keys(graph)
          .filter((name) => graph[name].data.targets?.image)
          .sort()
          .join(', ')})`,
      );
    const options = normalizeOptions(project, [
      { source: `${project}'s image target`, values: imageOptions },
    ]);
    const cells = checkCellDigests(
      project,
      options.repository,
      options.platforms,
      await readCellDigests(project, resolve(io.workspaceRoot, values.digests)),
    );

    // Before anything is pushed: a missing key or a missing or wrong password stops here.
    const key = await loadSignKey(
      project,
      io.workspaceRoot,
      values['sign-key'] ?? options.signKey,
      io.env,
    );
    const credentials = recordingStore(
      pushCredentials(project, flags, io.env, await dockerCredentials(io.env, homedir())),
    );
    const client = createRegistryClient({
      registry: flags.registry,
      credentials: credentials.store,
      insecure: flags.insecureRegistries,
    });
    const tags =
      values.tag!.length > 0
        ? values.tag!
        : expandTags(project, options.tags, {
            version: options.version,
            commit: await shortHeadCommit(execaRunner, io.workspaceRoot),
          }).tags;
    if (tags.length === 0)
      throw new Error(`${project}: no tag to apply; pass --tag or configure tags`);

    const merged = await mergeIndex(client, options.repository, cells);
    let signed: SignedManifest | undefined;
    const sign =
      key &&
      (async (digest: string) => {
        const request = { client, repository: options.repository, key, project, options };
        const manifests = cells.map((cell) => ({
          platform: formatPlatform(cell.platform),
          digest: cell.digest,
        }));
        signed = await signAndAttest(
          request,
          'index',
          digest,
          indexProvenance(request, digest, merged.annotations, manifests),
        );
      });
    const indexDigest = await pushMergedIndex(client, options.repository, merged, tags, sign);
    const at = (digest: string) =>
      formatReference({ registry: flags.registry, repository: options.repository, digest });
    const write = (line: string) => io.stdout.write(`[${project}] ${line}\n`);
    const repositoryRef = `${flags.registry}/${options.repository}`;
    for (const cell of cells)
      write(`${formatPlatform(cell.platform).padEnd(14)} ${at(cell.digest)}`);
    write(`${'index'.padEnd(14)} ${at(indexDigest)}`);
    if (signed) reportSigned({ step: write, warn: write, block: write }, repositoryRef, [signed]);
    const references = tags.map(
      (tag) => `${flags.registry}/${options.repository}:${tag}@${indexDigest}`,
    );
    for (const reference of references) write(`${'tagged'.padEnd(14)} ${reference}`);
    const stats = client.stats();
    write(
      `blobs: ${stats.blobs.uploaded} uploaded, ${stats.blobs.mounted} mounted (a merge moves no layer)${credentials.used() ? `; authenticated with ${credentials.used()}` : ''}`,
    );
    const recordPath = await writePushRecord(io.workspaceRoot, {
      project,
      registry: flags.registry,
      repository: options.repository,
      tags,
      references,
      indexDigest,
      platforms: cells.map((cell) => ({
        platform: formatPlatform(cell.platform),
        digest: cell.digest,
      })),
      blobs: { ...stats.blobs, bytesUploaded: stats.bytesUploaded },
      ...(signed ? { signatures: [signatureRecord(signed)] } : {}),
    });
    write(`push record: ${recordPath}`);
    return 0;
  },
};
