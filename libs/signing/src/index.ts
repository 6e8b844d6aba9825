// Cosign-compatible signing and attestation of images in a registry: the public API of libs/oci/src/signing.
export { SigningKeyError } from './errors';
export { Cosign, InToto, signatureTag, attestationTag } from './cosign-format';
export { decryptCosignKey, readPublicKey, COSIGN_KEY_PEM_LABELS } from './cosign-key';
export type { CosignKeyPair } from './cosign-key';
export { simpleSigningPayload, signedDigestOf } from './simple-signing';
export type { SimpleSigningPayload } from './simple-signing';
export { pae, signDsse, verifyDsse, parseDsse } from './dsse';
export type { DsseEnvelope } from './dsse';
export { inTotoStatement, manifestSubject, subjectDigests } from './in-toto';
export type { InTotoStatement, InTotoSubject } from './in-toto';
export { appendCosignLayer, readCosignLayers } from './cosign-image';
export type { AppendResult, CosignLayer, ExistingCosignLayer } from './cosign-image';
export { signManifest, attestManifest } from './sign-image';
export type { SignTarget } from './sign-image';
export { verifySignature, verifyAttestation } from './verify-image';
export type { AttestationResult, CheckResult } from './verify-image';
