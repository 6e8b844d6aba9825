// The OCI distribution (registry) client: the public API of libs/oci/src/registry.
export { createRegistryClient } from './client';
export { redact } from './redact';
export type { RegistryClient } from './client';
export type { RegistryClientOptions, NormalizedClientOptions } from './options';
export { DEFAULT_UPLOAD_POLICY, normalizeClientOptions } from './options';
export type { BlobSource, PushBlobOptions, UploadPolicy } from './upload';
export type { StreamedBlobSource } from './stream-blobs';
export type { FetchedManifest, ManifestHead } from './manifests';
export { DEFAULT_MANIFEST_ACCEPT, MANIFEST_LIMIT } from './manifests';
export type { ReferrersOptions } from './referrers';
export { referrersTag } from './referrers';
export { RegistryError, isRegistryError } from './errors';
export type { RegistryErrorCode, RegistryErrorEntry } from './errors';
export type { BlobPushOutcome, RegistryEvent, RegistryStats, RequestKind } from './events';
export { REQUEST_KINDS } from './events';
export type { RetryPolicy } from './retry';
export { DEFAULT_RETRY_POLICY } from './retry';
export type {
  BasicCredentials,
  Credentials,
  CredentialStore,
  FoundCredentials,
  IdentityTokenCredentials,
  TokenCredentials,
} from './credentials';
export { staticCredentials } from './credentials';
export { loadDockerCredentials } from './docker-config';
export type { DockerCredentialOptions } from './docker-config';
export type { HelperResult, HelperRunner } from './credential-helper';
export { isLoopbackHost, isPlainHttpAllowed } from './endpoint';
export {
  parseReference,
  formatReference,
  manifestReference,
  checkRepository,
  isTag,
  InvalidReferenceError,
  DOCKER_HUB,
  DEFAULT_TAG,
} from './reference';
export type { ImageReference, ReferencePart } from './reference';
export { writeBlobs, writeImage, writeIndex, writeIndexManifest, blobsOf } from './write-image';
export type { WriteTarget } from './write-image';
export { readArtifact, readImage, NotAnImageError } from './read-image';
export type { RemoteArtifact } from './read-image';
