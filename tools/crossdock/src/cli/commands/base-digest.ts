import { homedir } from 'node:os';
import { baseKindOf } from '../../image/base/base-kinds';
import { dockerCredentials } from '../../publish/credentials/docker-config';
import { UsageError, type CliCommand } from '../command';

const USAGE = `usage: crossdock base-digest [--gzip] <base>

Prints the digest a base image reference resolves to now: for a registry reference
(host/repo:tag or host/repo@sha256:...) the digest from one HEAD request; for oci:<path>
the sha256 of the layout's index.json; for scratch, "scratch". Used as a runtime input
of image targets, so re-pointing a base tag rebuilds the images on it.

--gzip  also prints the zlib build this Node compresses with ("zlib <version> <arch>"),
        which the builtin engine's layer bytes depend on: the image target's one Node
        start for both facts.

It exits 0 even when the digest cannot be had: it prints "unresolved: <reason>" (an
unreachable registry, a missing tag, an invalid reference), and the image build then
reports the real error with the project's name.`;

/** `crossdock base-digest <base>`: the current digest of a base image, for Nx runtime inputs. */
export const baseDigestCommand: CliCommand = {
  name: 'base-digest',
  summary: 'print the digest a base image reference points at now (an Nx runtime input)',
  usage: USAGE,
  async run(args, io) {
    const gzip = args[0] === '--gzip';
    const rest = gzip ? args.slice(1) : args;
    if (rest.length !== 1 || rest[0] === undefined || rest[0].startsWith('-'))
      throw new UsageError('give exactly one base reference (after --gzip, if given)');
    const base = rest[0];
    const line = await baseKindOf(base).currentDigest(base, {
      workspaceRoot: io.workspaceRoot,
      credentials: () => dockerCredentials(io.env, homedir()),
    });
    io.stdout.write(`${line}\n${gzip ? `${gzipBuild()}\n` : ''}`);
    return 0;
  },
};

/** The zlib build this Node compresses with, as the builtin engine's gzip input prints it (targets.ts). */
export function gzipBuild(): string {
  return `zlib ${process.versions.zlib} ${process.arch}`;
}
