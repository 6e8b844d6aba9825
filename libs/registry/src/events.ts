/** What an HTTP request to a registry (or its token endpoint) was for. */
export type RequestKind =
  | 'ping'
  | 'token'
  | 'blob-head'
  | 'blob-get'
  | 'blob-mount'
  | 'upload-start'
  | 'upload-chunk'
  | 'upload-finish'
  | 'upload-cancel'
  | 'manifest-head'
  | 'manifest-get'
  | 'manifest-put'
  | 'manifest-delete'
  | 'tags-list'
  | 'referrers';

/** Every request kind, in a stable order. */
export const REQUEST_KINDS: readonly RequestKind[] = [
  'ping',
  'token',
  'blob-head',
  'blob-get',
  'blob-mount',
  'upload-start',
  'upload-chunk',
  'upload-finish',
  'upload-cancel',
  'manifest-head',
  'manifest-get',
  'manifest-put',
  'manifest-delete',
  'tags-list',
  'referrers',
];

/** What {@link RegistryClient.pushBlob} did with a blob. */
export type BlobPushOutcome = 'exists' | 'mounted' | 'uploaded';

/**
 * A progress or diagnostic event of the registry client. Paths never carry a query string
 * and no event carries a header, a credential or a token.
 */
export type RegistryEvent =
  | {
      readonly type: 'request';
      readonly kind: RequestKind;
      readonly method: string;
      readonly host: string;
      readonly path: string;
      /** HTTP status, or 0 when no response arrived. */
      readonly status: number;
      readonly durationMs: number;
    }
  | {
      readonly type: 'retry';
      readonly operation: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly code: string;
      readonly status?: number;
    }
  | {
      readonly type: 'auth';
      readonly scheme: 'basic' | 'bearer';
      readonly scopes: readonly string[];
      readonly cached: boolean;
    }
  | {
      readonly type: 'blob';
      readonly repository: string;
      readonly digest: string;
      readonly size: number;
      readonly outcome: BlobPushOutcome;
      readonly from?: string;
    }
  | {
      readonly type: 'upload-progress';
      readonly repository: string;
      readonly digest: string;
      /** Bytes sent by this request. */
      readonly bytes: number;
      /** Bytes of the blob sent so far in this upload session. */
      readonly uploaded: number;
      readonly size: number;
    }
  | {
      readonly type: 'manifest';
      readonly repository: string;
      readonly reference: string;
      readonly digest: string;
      readonly mediaType: string;
    }
  | {
      readonly type: 'referrers-fallback';
      readonly repository: string;
      readonly subject: string;
      readonly action: 'read' | 'updated';
    };

/** Counts of what a client has done so far: requests by kind and blob outcomes. */
export interface RegistryStats {
  /** HTTP requests made, every attempt counted, by kind. */
  readonly requests: Readonly<Record<RequestKind, number>>;
  /** Blob pushes by outcome. */
  readonly blobs: Readonly<Record<BlobPushOutcome, number>>;
  /** Retries (attempts after the first) over all operations. */
  readonly retries: number;
  /** Blob bytes sent in upload requests. */
  readonly bytesUploaded: number;
}

/** A mutable tally behind {@link RegistryStats}; one per client. */
export interface StatsRecorder {
  record(event: RegistryEvent): void;
  snapshot(): RegistryStats;
}

/** A new, empty {@link StatsRecorder}. */
export function createStatsRecorder(): StatsRecorder {
  const requests = Object.fromEntries(REQUEST_KINDS.map((kind) => [kind, 0])) as Record<
    RequestKind,
    number
  >;
  const blobs: Record<BlobPushOutcome, number> = { exists: 0, mounted: 0, uploaded: 0 };
  let retries = 0;
  let bytesUploaded = 0;
  return {
    record(event) {
      if (event.type === 'request') requests[event.kind] += 1;
      else if (event.type === 'retry') retries += 1;
      else if (event.type === 'blob') blobs[event.outcome] += 1;
      else if (event.type === 'upload-progress') bytesUploaded += event.bytes;
    },
    snapshot: () => ({ requests: { ...requests }, blobs: { ...blobs }, retries, bytesUploaded }),
  };
}
