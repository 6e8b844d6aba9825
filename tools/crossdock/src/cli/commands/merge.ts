import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { dockerCredentials } from '../../publish/credentials/docker-config';
import { runMerge } from '../../publish/merge/run-merge';
import { processRunner } from '../../support/process/runner';
import { parsePushFlags } from '../../publish/push/push-flags';
import { readProjectGraph } from '../../nx/nx-cli';
import { UsageError, type CliCommand } from '../command';

const USAGE = `usage: crossdock merge <project> --digests=<dir> [--registry=<host[:port]>] [--tag <tag>]...
                      [--insecure-registry <host>]... [--username <user> --password-env <VAR>]
                      [--sign-key <cosign.key>]

Creates <project>'s image index from the per-platform manifests the CI cells pushed by
digest (their dist/digests/<project>/<slug>.json files, gathered in <dir>), without
uploading any layer and without re-serialising the manifests, then tags it: with each
--tag, or else the project's configured tags. Every configured platform needs exactly
one digest of this project; a missing, duplicate or foreign digest is an error.
The registry: --registry, else CROSSDOCK_REGISTRY, else the project's registry option.
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
    const graph = await readProjectGraph(processRunner, io.workspaceRoot);
    const imageOptions = graph[project]?.data.targets?.image?.options;
    if (!imageOptions)
      throw new Error(
        `${project} is not a project with an image target (projects with one: ${Object.keys(graph)
          .filter((name) => graph[name].data.targets?.image)
          .sort()
          .join(', ')})`,
      );
    const option = (imageOptions as Record<string, unknown>)['registry'];
    const flags = parsePushFlags(
      project,
      {
        registry: values.registry,
        insecureRegistry: values['insecure-registry'],
        ...(values.username !== undefined ? { username: values.username } : {}),
        ...(values['password-env'] !== undefined ? { passwordEnv: values['password-env'] } : {}),
      },
      { env: io.env, ...(typeof option === 'string' ? { option } : {}) },
    );
    const write = (line: string) => io.stdout.write(`[${project}] ${line}\n`);
    await runMerge({
      workspaceRoot: io.workspaceRoot,
      project,
      imageOptions,
      digestsDir: resolve(io.workspaceRoot, values.digests),
      flags,
      tags: values.tag!,
      ...(values['sign-key'] !== undefined ? { signKey: values['sign-key'] } : {}),
      env: io.env,
      dockerCredentials: await dockerCredentials(io.env, homedir()),
      runner: processRunner,
      reporter: { step: write, warn: (line) => write(`WARNING: ${line}`), block: write },
    });
    return 0;
  },
};
