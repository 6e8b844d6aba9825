import type { KeyObject } from 'node:crypto';
import { InToto, verifyAttestation, verifySignature, type CheckResult } from '@crossdock/signing';
import { isIndexMediaType, MediaType } from '@crossdock/oci';
import { readArtifact, type RegistryClient } from '@crossdock/registry';
import { formatPlatform, normalizePlatform, type Platform } from '@crossdock/platform';

/** SBOM artifact types `crossdock verify` accepts as an SBOM attachment, with their labels. */
const SBOM_TYPES: Readonly<Record<string, string>> = {
  [MediaType.spdxJson]: 'SPDX',
  [MediaType.cyclonedxJson]: 'CycloneDX',
};

/** The checks of one manifest (a platform's, or the index). */
export interface VerifiedEntry {
  /** `linux/arm64`, ..., or `index`. */
  readonly platform: string;
  readonly digest: string;
  readonly signature: CheckResult;
  readonly provenance: CheckResult;
  /** Absent for the index (SBOMs describe a platform's binary). */
  readonly sbom?: CheckResult;
}

/** Everything `crossdock verify` checked of one reference. */
export interface VerifyReport {
  readonly digest: string;
  readonly entries: readonly VerifiedEntry[];
  readonly ok: boolean;
}

/**
 * Verifies an image (index or single manifest) in a registry against a public key: for
 * the index and every platform manifest, the cosign signature and the SLSA v1 provenance
 * attestation (signed with the key, its subject the manifest's digest), and for every
 * platform an SBOM attached as a referrer (SPDX or CycloneDX). Never throws for a failed
 * check: each is reported with its reason. `unknown/unknown` entries of an index (buildx
 * attestation manifests) are not platforms and are passed over.
 */
export async function verifyImage(
  client: RegistryClient,
  repository: string,
  reference: string,
  publicKey: KeyObject,
): Promise<VerifyReport> {
  const head = await client.headManifest(repository, reference);
  if (head === undefined)
    throw new Error(`${client.registry}/${repository}:${reference} does not exist`);
  const children: { platform: string; digest: string }[] = [];
  if (isIndexMediaType(head.mediaType)) {
    const top = await readArtifact(client, repository, head.digest);
    const manifests = top.kind === 'index' ? top.index.manifests : [];
    for (const descriptor of manifests) {
      if (!descriptor.platform || descriptor.platform.os === 'unknown') continue;
      children.push({
        platform: formatPlatform(normalizePlatform(descriptor.platform as Platform)),
        digest: descriptor.digest,
      });
    }
  }
  const entries: VerifiedEntry[] = [];
  for (const child of children) {
    entries.push({
      ...child,
      ...(await signatureAndProvenance(client, repository, child.digest, publicKey)),
      sbom: await sbomAttached(client, repository, child.digest),
    });
  }
  const own = await signatureAndProvenance(client, repository, head.digest, publicKey);
  if (isIndexMediaType(head.mediaType))
    entries.push({ platform: 'index', digest: head.digest, ...own });
  else
    entries.push({
      platform: 'manifest',
      digest: head.digest,
      ...own,
      sbom: await sbomAttached(client, repository, head.digest),
    });
  const ok = entries.every(
    (entry) => entry.signature.ok && entry.provenance.ok && (entry.sbom?.ok ?? true),
  );
  return { digest: head.digest, entries, ok };
}

async function signatureAndProvenance(
  client: RegistryClient,
  repository: string,
  digest: string,
  publicKey: KeyObject,
): Promise<{ signature: CheckResult; provenance: CheckResult }> {
  const signature = await verifySignature(client, repository, digest, publicKey);
  const provenance = await verifyAttestation(
    client,
    repository,
    digest,
    publicKey,
    InToto.slsaProvenanceV1,
  );
  return { signature, provenance };
}

async function sbomAttached(
  client: RegistryClient,
  repository: string,
  digest: string,
): Promise<CheckResult> {
  const referrers = await client.referrers(repository, digest);
  const formats = [
    ...new Set(
      referrers.flatMap((referrer) =>
        referrer.artifactType && SBOM_TYPES[referrer.artifactType]
          ? [SBOM_TYPES[referrer.artifactType]!]
          : [],
      ),
    ),
  ];
  return formats.length > 0
    ? { ok: true, detail: formats.join(' + ') }
    : { ok: false, reason: `no SBOM refers to ${digest} (referrers: ${referrers.length})` };
}
