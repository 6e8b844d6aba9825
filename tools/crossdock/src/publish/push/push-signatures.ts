import {
  attestManifest,
  signManifest,
  type AppendResult,
  type CosignKeyPair,
  type InTotoStatement,
} from '@crossdock/signing';
import { type ImageIndex } from '@crossdock/oci';
import { type RegistryClient } from '@crossdock/registry';
import {
  formatPlatform,
  normalizePlatform,
  platformMatches,
  type Platform,
} from '@crossdock/platform';
import type { CrossdockOptions } from '../../options/normalize-options';
import type { Reporter } from '../../support/report/reporter';
import {
  annotationInputs,
  imageProvenanceInput,
  provenanceOptions,
} from '../provenance/image-provenance';
import { slsaProvenance } from '../provenance/slsa-provenance';

/** One manifest (or the index) as signed: its signature and provenance attestation images. */
export interface SignedManifest {
  /** `linux/arm64`, ..., or `index`. */
  readonly platform: string;
  readonly digest: string;
  readonly signature: AppendResult;
  readonly attestation: AppendResult;
}

/** What signing a push needs: the client and repository, the key, the project and its options. */
export interface SignRequest {
  readonly client: RegistryClient;
  readonly repository: string;
  readonly key: CosignKeyPair;
  readonly project: string;
  readonly options: CrossdockOptions;
}

/** How a push record lists a signed digest: the tags of its signature and attestation images. Pure. */
export function signatureRecord(signed: SignedManifest): {
  platform: string;
  digest: string;
  signature: string;
  attestation: string;
} {
  return {
    platform: signed.platform,
    digest: signed.digest,
    signature: signed.signature.tag,
    attestation: signed.attestation.tag,
  };
}

/** Signs one digest and attaches its provenance statement, both with the request's key. */
export async function signAndAttest(
  request: SignRequest,
  platform: string,
  digest: string,
  statement: InTotoStatement,
): Promise<SignedManifest> {
  const target = { client: request.client, repository: request.repository, key: request.key };
  const signature = await signManifest(target, digest);
  const attestation = await attestManifest(target, digest, statement);
  return { platform, digest, signature, attestation };
}

/**
 * Signs every platform manifest of a pushed index (or only `only`'s, for a by-digest
 * push) and attaches to each a SLSA v1 provenance attestation built from the image itself.
 * With `indexDigest`, the index is signed and attested too (its provenance lists the manifests).
 */
export async function signIndexImages(
  request: SignRequest,
  index: ImageIndex,
  options: { readonly only?: Platform; readonly indexDigest?: string } = {},
): Promise<SignedManifest[]> {
  const subjectName = `${request.client.registry}/${request.repository}`;
  const signed: SignedManifest[] = [];
  const manifests: { platform: string; digest: string }[] = [];
  for (const [at, descriptor] of index.manifests.entries()) {
    if (!descriptor.platform) continue;
    const platform = normalizePlatform(descriptor.platform as Platform);
    if (options.only && !platformMatches(options.only, platform)) continue;
    const image = index.images[at]!;
    const input = await imageProvenanceInput({
      image,
      subjectName,
      project: request.project,
      platform: formatPlatform(platform),
      options: request.options,
    });
    signed.push(
      await signAndAttest(request, formatPlatform(platform), image.digest, slsaProvenance(input)),
    );
    manifests.push({ platform: formatPlatform(platform), digest: image.digest });
  }
  if (options.indexDigest !== undefined) {
    // The source URL is a config label only: take it from the first image, the rest from the index.
    const annotations = {
      ...(index.images[0]?.config.config?.Labels ?? {}),
      ...(index.manifest.annotations ?? {}),
    };
    signed.push(
      await signAndAttest(
        request,
        'index',
        options.indexDigest,
        indexProvenance(request, options.indexDigest, annotations, manifests),
      ),
    );
  }
  return signed;
}

/** The provenance statement of an index: its annotations' source, revision and base, and the manifests it lists. */
export function indexProvenance(
  request: SignRequest,
  indexDigest: string,
  annotations: Readonly<Record<string, string>>,
  manifests: readonly { readonly platform: string; readonly digest: string }[],
): InTotoStatement {
  return slsaProvenance({
    subjectName: `${request.client.registry}/${request.repository}`,
    subjectDigest: indexDigest,
    project: request.project,
    ...annotationInputs(annotations),
    options: provenanceOptions(request.options),
    manifests,
  });
}

/** One line per signed digest: where its signature and its provenance attestation are (cosign's tags). */
export function reportSigned(
  reporter: Reporter,
  repositoryRef: string,
  signed: readonly SignedManifest[],
): void {
  for (const entry of signed) {
    const added =
      entry.signature.appended || entry.attestation.appended
        ? ''
        : ' (already signed with this key)';
    reporter.step(
      `${`signed ${entry.platform}`.padEnd(14)} ${repositoryRef}:${entry.signature.tag}, provenance ${entry.attestation.tag}${added}`,
    );
  }
}
