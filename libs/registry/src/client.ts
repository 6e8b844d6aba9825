import { Descriptor } from '@crossdock/oci';
import { createAuthenticator } from './auth';
import { blobExists, getBlob } from './blobs';
import { createConnection } from './connection';
import { CredentialStore, staticCredentials } from './credentials';
import { resolveEndpoint } from './endpoint';
import { createStatsRecorder, BlobPushOutcome, RegistryStats } from './events';
import { discard, HttpContext } from './http';
import {
  DEFAULT_MANIFEST_ACCEPT,
  FetchedManifest,
  fetchManifest,
  headManifest,
  ManifestHead,
  putManifest,
} from './manifests';
import { normalizeClientOptions, RegistryClientOptions } from './options';
import { createRedactor } from './redact';
import { addToReferrersTag, listReferrers, referrerOf, ReferrersOptions } from './referrers';
import { checkRepository } from './reference';
import { listTags } from './tags';
import { deleteManifest, openBlobStream, pushBlobStream, StreamedBlobSource } from './stream-blobs';
import { BlobSource, pushBlob, PushBlobOptions } from './upload';

/** A client of one OCI distribution registry. Every method checks what it reads. */
export interface RegistryClient {
  /** The registry as named in the options (host[:port]). */
  readonly registry: string;
  /** Checks that the registry speaks the distribution API (`GET /v2/`), authenticating if asked to. */
  ping(): Promise<void>;
  /** True when the repository has the blob. */
  blobExists(repository: string, digest: string): Promise<boolean>;
  /** Pushes a blob unless present: returns whether it existed, was mounted or uploaded. */
  pushBlob(
    repository: string,
    blob: BlobSource,
    options?: PushBlobOptions,
  ): Promise<BlobPushOutcome>;
  /** Downloads a blob, checking its digest (and size, given a descriptor). */
  getBlob(repository: string, blob: string | Descriptor): Promise<Uint8Array>;
  /** Pushes a blob from a stream, never holding it whole (see {@link StreamedBlobSource}). */
  pushBlobStream(repository: string, blob: StreamedBlobSource): Promise<BlobPushOutcome>;
  /** Opens a blob as a stream of pieces, checked against the descriptor at its end. */
  openBlobStream(repository: string, blob: Descriptor): Promise<AsyncIterable<Uint8Array>>;
  /** Deletes a manifest by digest; UNSUPPORTED where the registry allows no deletes. */
  deleteManifest(repository: string, digest: string): Promise<void>;
  /**
   * Pushes manifest or index bytes under a tag or digest; returns the digest. A manifest
   * with a `subject` is also recorded under the referrers tag schema when the registry
   * does not take referrers in itself.
   */
  pushManifest(
    repository: string,
    reference: string,
    bytes: Uint8Array,
    mediaType: string,
  ): Promise<string>;
  /** Fetches a manifest or index by tag or digest, checking its digest. */
  getManifest(
    repository: string,
    reference: string,
    accept?: readonly string[],
  ): Promise<FetchedManifest>;
  /** Digest, media type and size of a manifest, or undefined when there is none. */
  headManifest(
    repository: string,
    reference: string,
    accept?: readonly string[],
  ): Promise<ManifestHead | undefined>;
  /** Every tag of a repository. */
  listTags(
    repository: string,
    options?: { readonly pageSize?: number },
  ): Promise<readonly string[]>;
  /** Descriptors of the manifests that refer to `digest` (referrers API, or the tag schema fallback). */
  referrers(
    repository: string,
    digest: string,
    options?: ReferrersOptions,
  ): Promise<readonly Descriptor[]>;
  /** Counts of requests by kind, blob outcomes, retries and bytes uploaded so far. */
  stats(): RegistryStats;
}

/** Creates a {@link RegistryClient} from options (see {@link RegistryClientOptions}). */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const config = normalizeClientOptions(options);
  const store: CredentialStore | undefined =
    config.credentials === undefined
      ? undefined
      : 'find' in config.credentials
        ? config.credentials
        : staticCredentials(config.credentials);
  const endpoint = resolveEndpoint(config.registry, config.insecure, store !== undefined);
  const recorder = createStatsRecorder();
  const redactor = createRedactor();
  const http: HttpContext = {
    insecure: config.insecure,
    timeoutMs: config.requestTimeoutMs,
    userAgent: config.userAgent,
    emit(event) {
      recorder.record(event);
      config.log?.(event);
    },
    redact: (text) => redactor.redact(text),
  };
  const auth = createAuthenticator(http, endpoint.registry, store, config.userAgent, redactor);
  const conn = createConnection(endpoint, http, auth, config.retry);
  const repo = (repository: string): string => {
    checkRepository(repository);
    return repository;
  };

  return {
    registry: endpoint.registry,
    async ping() {
      await conn.retrying('ping', async () =>
        discard(
          await conn.send({ kind: 'ping', method: 'GET', target: '/v2/', expect: [200] }, []),
        ),
      );
    },
    blobExists: (repository, digest) => blobExists(conn, repo(repository), digest),
    pushBlob: (repository, blob, pushOptions) =>
      pushBlob(conn, config.upload, repo(repository), blob, pushOptions),
    getBlob: (repository, blob) => getBlob(conn, repo(repository), blob),
    pushBlobStream: (repository, blob) =>
      pushBlobStream(conn, config.upload, repo(repository), blob),
    openBlobStream: (repository, blob) => openBlobStream(conn, repo(repository), blob),
    deleteManifest: (repository, digest) => deleteManifest(conn, repo(repository), digest),
    async pushManifest(repository, reference, bytes, mediaType) {
      const pushed = await putManifest(conn, repo(repository), reference, bytes, mediaType);
      const referrer = referrerOf(bytes, mediaType, pushed.digest);
      if (referrer !== undefined && pushed.subjectHeader === undefined) {
        await addToReferrersTag(conn, repository, referrer.subject, referrer.descriptor);
      }
      return pushed.digest;
    },
    async getManifest(repository, reference, accept = DEFAULT_MANIFEST_ACCEPT) {
      return (await fetchManifest(conn, repo(repository), reference, accept)) as FetchedManifest;
    },
    headManifest: (repository, reference, accept = DEFAULT_MANIFEST_ACCEPT) =>
      headManifest(conn, repo(repository), reference, accept),
    listTags: (repository, listOptions) => listTags(conn, repo(repository), listOptions?.pageSize),
    referrers: (repository, digest, referrerOptions) =>
      listReferrers(conn, repo(repository), digest, referrerOptions),
    stats: () => recorder.snapshot(),
  };
}
