import { sign, verify } from 'node:crypto';
import { sha256Digest } from '@crossdock/oci';
import type { RegistryClient } from '@crossdock/registry';
import type { CosignKeyPair } from './cosign-key';
import { appendCosignLayer, type AppendResult } from './cosign-image';
import { attestationTag, Cosign, signatureTag } from './cosign-format';
import { parseDsse, signDsse, verifyDsse } from './dsse';
import type { InTotoStatement } from './in-toto';
import { simpleSigningPayload } from './simple-signing';

/** Where a signature goes: a registry client, a repository, and the key. */
export interface SignTarget {
  readonly client: RegistryClient;
  readonly repository: string;
  readonly key: CosignKeyPair;
}

/**
 * Signs a manifest (or index) by digest the way `cosign sign --key` does: an ECDSA
 * signature over the simple-signing payload (`docker-reference` = `host/repo`,
 * `docker-manifest-digest` = the digest), stored as a layer of the image tagged
 * `sha256-<hex>.sig` with the signature in the `dev.cosignproject.cosign/signature`
 * annotation. A layer with the same payload whose signature verifies under this key
 * already there means nothing is pushed.
 */
export async function signManifest(target: SignTarget, digest: string): Promise<AppendResult> {
  const payload = simpleSigningPayload(`${target.client.registry}/${target.repository}`, digest);
  const payloadDigest = sha256Digest(payload);
  const signature = sign('sha256', payload, target.key.privateKey).toString('base64');
  return appendCosignLayer(
    target.client,
    target.repository,
    signatureTag(digest),
    {
      bytes: payload,
      mediaType: Cosign.simpleSigningMediaType,
      annotations: { [Cosign.signatureAnnotation]: signature },
    },
    async ({ descriptor }) => {
      const existing = descriptor.annotations?.[Cosign.signatureAnnotation];
      if (descriptor.digest !== payloadDigest || existing === undefined) return false;
      return verifySafely(() =>
        verify('sha256', payload, target.key.publicKey, Buffer.from(existing, 'base64')),
      );
    },
  );
}

/**
 * Attests a manifest the way `cosign attest --key` does: the in-toto statement signed as a
 * DSSE envelope (payload type `application/vnd.in-toto+json`), stored as a layer of the
 * image tagged `sha256-<hex>.att`, annotated with its `predicateType` and an empty
 * signature annotation. A layer whose envelope carries the same statement signed by this
 * key already there means nothing is pushed.
 */
export async function attestManifest(
  target: SignTarget,
  digest: string,
  statement: InTotoStatement,
): Promise<AppendResult> {
  const payload = new TextEncoder().encode(JSON.stringify(statement));
  const encoded = Buffer.from(payload).toString('base64');
  const envelope = signDsse(Cosign.inTotoPayloadType, payload, target.key.privateKey);
  return appendCosignLayer(
    target.client,
    target.repository,
    attestationTag(digest),
    {
      bytes: new TextEncoder().encode(JSON.stringify(envelope)),
      mediaType: Cosign.dsseMediaType,
      annotations: {
        [Cosign.signatureAnnotation]: '',
        [Cosign.predicateTypeAnnotation]: statement.predicateType,
      },
    },
    async (existing) => {
      if (
        existing.descriptor.mediaType !== Cosign.dsseMediaType ||
        existing.descriptor.annotations?.[Cosign.predicateTypeAnnotation] !==
          statement.predicateType
      )
        return false;
      const other = parseDsse(await existing.read());
      return (
        other !== undefined &&
        other.payload === encoded &&
        other.payloadType === Cosign.inTotoPayloadType &&
        verifyDsse(other, target.key.publicKey)
      );
    },
  );
}

function verifySafely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
