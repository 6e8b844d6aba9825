/**
 * What cosign writes and reads, as data: the media types, annotation keys and tag suffixes
 * of its signature and attestation images (cosign pkg/types, pkg/oci/static,
 * pkg/oci/remote), and the payload types of what it signs.
 */
export const Cosign = {
  /** Layer media type of a signature: the simple-signing payload, uncompressed. */
  simpleSigningMediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
  /** Layer media type of an attestation: a DSSE envelope. */
  dsseMediaType: 'application/vnd.dsse.envelope.v1+json',
  /** Layer annotation holding the base64 signature (empty for an attestation, whose signature is inside the envelope). */
  signatureAnnotation: 'dev.cosignproject.cosign/signature',
  /** Layer annotation of an attestation: the in-toto predicate type. */
  predicateTypeAnnotation: 'predicateType',
  /** The `type` of a simple-signing payload. */
  simpleSigningType: 'cosign container image signature',
  /** DSSE payload type of an in-toto statement. */
  inTotoPayloadType: 'application/vnd.in-toto+json',
  signatureSuffix: 'sig',
  attestationSuffix: 'att',
} as const;

/** The in-toto statement type of SLSA v1 provenance, and the predicate type (`cosign --type slsaprovenance1`). */
export const InToto = {
  statementV1: 'https://in-toto.io/Statement/v1',
  slsaProvenanceV1: 'https://slsa.dev/provenance/v1',
} as const;

/** The tag cosign keeps a digest's signatures under: `sha256-<hex>.sig`. Pure. */
export function signatureTag(digest: string): string {
  return cosignTag(digest, Cosign.signatureSuffix);
}

/** The tag cosign keeps a digest's attestations under: `sha256-<hex>.att`. Pure. */
export function attestationTag(digest: string): string {
  return cosignTag(digest, Cosign.attestationSuffix);
}

function cosignTag(digest: string, suffix: string): string {
  const match = /^(sha256|sha512):([0-9a-f]+)$/.exec(digest);
  if (match === null) throw new Error(`"${digest}" is not a digest (algorithm:hex)`);
  return `${match[1]}-${match[2]}.${suffix}`;
}
