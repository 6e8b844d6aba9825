import { verify, type KeyObject } from 'node:crypto';
import type { RegistryClient } from '@crossdock/registry';
import { readCosignLayers } from './cosign-image';
import { attestationTag, Cosign, signatureTag } from './cosign-format';
import { parseDsse, verifyDsse } from './dsse';
import { subjectDigests, type InTotoStatement } from './in-toto';
import { signedDigestOf } from './simple-signing';

/** The outcome of one check: passed, or why not (one line). */
export type CheckResult =
  { readonly ok: true; readonly detail: string } | { readonly ok: false; readonly reason: string };

/** A verified attestation check also returns the statement it verified. */
export type AttestationResult =
  | (CheckResult & { readonly ok: false })
  | { readonly ok: true; readonly detail: string; readonly statement: InTotoStatement };

/**
 * Checks that a manifest digest has a cosign signature under `publicKey`: a layer of the
 * `sha256-<hex>.sig` image whose simple-signing payload claims this digest and whose
 * signature annotation verifies over that payload. What `cosign verify --key` checks
 * (without the transparency log).
 */
export async function verifySignature(
  client: RegistryClient,
  repository: string,
  digest: string,
  publicKey: KeyObject,
): Promise<CheckResult> {
  const tag = signatureTag(digest);
  const { layers } = await readCosignLayers(client, repository, tag);
  if (layers.length === 0) return { ok: false, reason: `no signature (no ${tag} tag)` };
  let claimed = 0;
  for (const layer of layers) {
    if (layer.descriptor.mediaType !== Cosign.simpleSigningMediaType) continue;
    const payload = await layer.read();
    if (signedDigestOf(payload) !== digest) continue;
    claimed++;
    const signature = layer.descriptor.annotations?.[Cosign.signatureAnnotation];
    if (signature !== undefined && safeVerify(payload, publicKey, signature))
      return {
        ok: true,
        detail: `${tag}: ${layers.length} signature${layers.length === 1 ? '' : 's'}, one by this key`,
      };
  }
  return {
    ok: false,
    reason:
      claimed === 0
        ? `${tag} holds no signature claiming ${digest}`
        : `none of the ${claimed} signature(s) in ${tag} verifies with this key`,
  };
}

/**
 * Checks that a manifest digest has an attestation of `predicateType` signed with
 * `publicKey`: a DSSE layer of the `sha256-<hex>.att` image whose envelope verifies, whose
 * statement has this predicate type, and whose subjects include the digest. What
 * `cosign verify-attestation --key --type` checks (without the transparency log).
 */
export async function verifyAttestation(
  client: RegistryClient,
  repository: string,
  digest: string,
  publicKey: KeyObject,
  predicateType: string,
): Promise<AttestationResult> {
  const tag = attestationTag(digest);
  const { layers } = await readCosignLayers(client, repository, tag);
  if (layers.length === 0) return { ok: false, reason: `no attestation (no ${tag} tag)` };
  let signedByKey = 0;
  for (const layer of layers) {
    if (layer.descriptor.mediaType !== Cosign.dsseMediaType) continue;
    const envelope = parseDsse(await layer.read());
    if (
      envelope === undefined ||
      envelope.payloadType !== Cosign.inTotoPayloadType ||
      !verifyDsse(envelope, publicKey)
    )
      continue;
    signedByKey++;
    let statement: InTotoStatement;
    try {
      statement = JSON.parse(
        Buffer.from(envelope.payload, 'base64').toString('utf8'),
      ) as InTotoStatement;
    } catch {
      continue;
    }
    if (statement.predicateType !== predicateType || !subjectDigests(statement).includes(digest))
      continue;
    return {
      ok: true,
      detail: `${tag}: ${predicateType}, subject ${digest.slice(0, 19)}`,
      statement,
    };
  }
  return {
    ok: false,
    reason:
      signedByKey === 0
        ? `no attestation in ${tag} is signed with this key`
        : `no attestation in ${tag} signed with this key is a ${predicateType} statement about ${digest}`,
  };
}

function safeVerify(payload: Uint8Array, publicKey: KeyObject, signature: string): boolean {
  try {
    return verify('sha256', payload, publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
