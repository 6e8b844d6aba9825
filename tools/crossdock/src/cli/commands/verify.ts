import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createRegistryClient,
  InvalidReferenceError,
  manifestReference,
  parseReference,
  RegistryError,
} from '@crossdock/registry';
import { readPublicKey, SigningKeyError, type CheckResult } from '@crossdock/signing';
import { dockerCredentials } from '../../publish/credentials/docker-config';
import { pushCredentials } from '../../publish/credentials/push-credentials';
import { parsePushFlags } from '../../publish/push/push-flags';
import { formatTable } from '../../support/report/format';
import { verifyImage, type VerifyReport } from '../../publish/verify/verify-image';
import { UsageError, type CliCommand } from '../command';

const USAGE = `usage: crossdock verify <host/repo[:tag|@digest]> --key <cosign.pub>
                       [--insecure-registry <host>]... [--username <user> --password-env <VAR>]

Checks an image pushed by crossdock against a public key (the cosign.pub of
\`cosign generate-key-pair\`): for the index and every platform manifest, a cosign
signature (the sha256-<hex>.sig tag) made with the key, and a SLSA v1 provenance
attestation (sha256-<hex>.att) signed with the key whose subject is that digest; for
every platform, an SBOM (SPDX or CycloneDX) attached as a referrer. Prints one row per
manifest and exits 1 if any check fails. The transparency log is not consulted (crossdock
signs with keys, without Rekor), as with cosign's --insecure-ignore-tlog=true.`;

/** `crossdock verify <ref> --key <pub>`: signatures, provenance and SBOMs of every platform, as a table. */
export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'check the signatures, SLSA provenance and SBOMs of a pushed image against a public key',
  usage: USAGE,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...args],
        options: {
          key: { type: 'string' },
          'insecure-registry': { type: 'string', multiple: true, default: [] },
          username: { type: 'string' },
          'password-env': { type: 'string' },
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
        `give exactly one image reference, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`,
      );
    if (!values.key) throw new UsageError('--key=<cosign.pub> is required');
    let ref;
    try {
      ref = parseReference(positionals[0]!);
    } catch (error) {
      if (error instanceof InvalidReferenceError) throw new UsageError(error.message);
      throw error;
    }
    const keyPath = resolve(io.workspaceRoot, values.key);
    const pem = await readFile(keyPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new Error(`cannot read the public key ${keyPath} (${error.code ?? 'error'})`);
    });
    let publicKey;
    try {
      publicKey = readPublicKey(pem, keyPath);
    } catch (error) {
      if (error instanceof SigningKeyError) throw new Error(error.message, { cause: error });
      throw error;
    }
    const flags = parsePushFlags('verify', {
      registry: ref.registry,
      insecureRegistry: values['insecure-registry'],
      ...(values.username !== undefined ? { username: values.username } : {}),
      ...(values['password-env'] !== undefined ? { passwordEnv: values['password-env'] } : {}),
    });
    const client = createRegistryClient({
      registry: ref.registry,
      credentials: pushCredentials(
        'verify',
        flags,
        io.env,
        await dockerCredentials(io.env, homedir()),
      ),
      insecure: flags.insecureRegistries,
    });
    let report: VerifyReport;
    try {
      report = await verifyImage(client, ref.repository, manifestReference(ref), publicKey);
    } catch (error) {
      if (error instanceof RegistryError)
        throw new Error(`cannot read ${positionals[0]}: ${error.message}`, { cause: error });
      throw error;
    }
    io.stdout.write(`${formatVerifyReport(`${ref.registry}/${ref.repository}`, report)}\n`);
    return report.ok ? 0 : 1;
  },
};

/** The table `crossdock verify` prints, then one line per failed check and a verdict. Pure. */
export function formatVerifyReport(repository: string, report: VerifyReport): string {
  const cell = (check: CheckResult | undefined) =>
    check === undefined ? '-' : check.ok ? 'ok' : 'FAILED';
  const rows = report.entries.map((entry) => [
    entry.platform,
    entry.digest.slice(0, 19),
    cell(entry.signature),
    cell(entry.provenance),
    entry.sbom === undefined ? '-' : entry.sbom.ok ? entry.sbom.detail : 'FAILED',
  ]);
  const failures = report.entries.flatMap((entry) =>
    (
      [
        ['signature', entry.signature],
        ['provenance', entry.provenance],
        ['sbom', entry.sbom],
      ] as const
    ).flatMap(([what, check]) =>
      check && !check.ok ? [`${entry.platform} ${what}: ${check.reason}`] : [],
    ),
  );
  const verdict = report.ok
    ? `verified: ${repository}@${report.digest}: every manifest is signed with this key and has SLSA provenance`
    : `NOT verified: ${repository}@${report.digest}: ${failures.length} check${failures.length === 1 ? '' : 's'} failed`;
  return [
    formatTable(['platform', 'digest', 'signature', 'provenance', 'sbom'], rows),
    ...failures,
    verdict,
  ].join('\n');
}
