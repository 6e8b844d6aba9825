import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { createHash } from 'node:crypto';
import {
  createRegistryClient,
  InvalidReferenceError,
  manifestReference,
  parseReference,
  RegistryError,
  type ImageReference,
} from '@crossdock/registry';
import { layoutBaseDir } from '../../image/base/layout-base';
import { baseKind } from '../../image/base/base-kind';
import { dockerCredentials } from '../../publish/credentials/docker-config';
import { UsageError, type CliCommand } from '../command';

const USAGE = `usage: crossdock base-digest <base>

Prints the digest a base image reference resolves to now: for a registry reference
(host/repo:tag or host/repo@sha256:...) the digest from one HEAD request; for oci:<path>
the sha256 of the layout's index.json; for scratch, "scratch". Used as a runtime input
of image targets, so re-pointing a base tag rebuilds the images on it.

It exits 0 even when the digest cannot be had: it prints "unresolved: <reason>" (an
unreachable registry, a missing tag, an invalid reference), and the image build then
reports the real error with the project's name.`;

/** `crossdock base-digest <base>`: the current digest of a base image, for Nx runtime inputs. */
export const baseDigestCommand: CliCommand = {
  name: 'base-digest',
  summary: 'print the digest a base image reference points at now (an Nx runtime input)',
  usage: USAGE,
  async run(args, io) {
    if (args.length !== 1 || args[0] === undefined)
      throw new UsageError('give exactly one base reference');
    const base = args[0];
    switch (baseKind(base)) {
      case 'scratch':
        io.stdout.write('scratch\n');
        return 0;
      case 'layout': {
        const path = `${layoutBaseDir(base, io.workspaceRoot)}/index.json`;
        const bytes = await readFile(path).catch(() => undefined);
        io.stdout.write(
          bytes
            ? `sha256:${createHash('sha256').update(bytes).digest('hex')}\n`
            : `unresolved: no ${path}\n`,
        );
        return 0;
      }
      case 'registry': {
        let ref: ImageReference;
        try {
          ref = parseReference(base);
        } catch (error) {
          // The image build reports the bad reference with its project; a hash input must not fail.
          if (!(error instanceof InvalidReferenceError)) throw error;
          io.stdout.write('unresolved: invalid reference\n');
          return 0;
        }
        const client = createRegistryClient({
          registry: ref.registry,
          credentials: await dockerCredentials(io.env, homedir()),
          retry: { maxAttempts: 1 },
          requestTimeoutMs: 10_000,
        });
        try {
          const head = await client.headManifest(ref.repository, manifestReference(ref));
          io.stdout.write(head ? `${head.digest}\n` : 'unresolved: no such manifest\n');
        } catch (error) {
          if (!(error instanceof RegistryError)) throw error;
          io.stdout.write(`unresolved: ${error.code}\n`);
        }
        return 0;
      }
    }
  },
};
