import { Credentials, CredentialStore } from './credentials';
import { RegistryError } from './errors';
import { RegistryEvent } from './events';
import { DEFAULT_RETRY_POLICY, RetryPolicy } from './retry';
import { UploadPolicy } from './upload';

/** Options of {@link createRegistryClient}, as the caller writes them. */
export interface RegistryClientOptions {
  /** The registry: `host[:port]` (as in image references) or `http(s)://host[:port]`. */
  readonly registry: string;
  /** Explicit credentials, or a store such as {@link loadDockerCredentials}' result. Anonymous when absent. */
  readonly credentials?: Credentials | CredentialStore;
  /** Hosts (`host` or `host:port`) that may be reached over plain HTTP besides loopback ones. */
  readonly insecure?: readonly string[];
  /** Retry bounds; defaults in {@link DEFAULT_RETRY_POLICY}. */
  readonly retry?: Partial<RetryPolicy>;
  /** Chunked-upload threshold and chunk size, in bytes (defaults 16 MiB each). */
  readonly upload?: Partial<UploadPolicy>;
  /** Time allowed for one HTTP request, in ms (default 5 minutes). */
  readonly requestTimeoutMs?: number;
  /** The User-Agent header (default `crossdock`). */
  readonly userAgent?: string;
  /** Receives progress and diagnostic events; nothing is printed otherwise. */
  readonly log?: (event: RegistryEvent) => void;
}

/** {@link RegistryClientOptions} completed with defaults and checked. */
export interface NormalizedClientOptions {
  readonly registry: string;
  readonly credentials?: Credentials | CredentialStore;
  readonly insecure: readonly string[];
  readonly retry: RetryPolicy;
  readonly upload: UploadPolicy;
  readonly requestTimeoutMs: number;
  readonly userAgent: string;
  readonly log?: (event: RegistryEvent) => void;
}

/** The upload policy used when the caller sets none. */
export const DEFAULT_UPLOAD_POLICY: UploadPolicy = {
  chunkThreshold: 16 * 1024 * 1024,
  chunkSize: 16 * 1024 * 1024,
};

const OPTION_KEYS = [
  'registry',
  'credentials',
  'insecure',
  'retry',
  'upload',
  'requestTimeoutMs',
  'userAgent',
  'log',
] as const;
const RETRY_KEYS = Object.keys(DEFAULT_RETRY_POLICY);
const UPLOAD_KEYS = Object.keys(DEFAULT_UPLOAD_POLICY);

/** Completes and checks client options: unknown keys and out-of-range numbers are errors. */
export function normalizeClientOptions(options: RegistryClientOptions): NormalizedClientOptions {
  rejectUnknown('registry client options', options, OPTION_KEYS);
  if (typeof options.registry !== 'string' || options.registry === '')
    invalid('registry', options.registry, 'a host[:port] such as 127.0.0.1:5000');
  rejectUnknown('retry options', options.retry ?? {}, RETRY_KEYS);
  rejectUnknown('upload options', options.upload ?? {}, UPLOAD_KEYS);
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const upload: UploadPolicy = { ...DEFAULT_UPLOAD_POLICY, ...options.upload };
  positiveInteger('retry.maxAttempts', retry.maxAttempts);
  nonNegative('retry.initialDelayMs', retry.initialDelayMs);
  nonNegative('retry.maxDelayMs', retry.maxDelayMs);
  nonNegative('retry.maxElapsedMs', retry.maxElapsedMs);
  if (!(retry.factor >= 1)) invalid('retry.factor', retry.factor, 'a number >= 1');
  nonNegative('upload.chunkThreshold', upload.chunkThreshold);
  positiveInteger('upload.chunkSize', upload.chunkSize);
  const requestTimeoutMs = options.requestTimeoutMs ?? 300_000;
  positiveInteger('requestTimeoutMs', requestTimeoutMs);
  return {
    registry: options.registry,
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    insecure: [...(options.insecure ?? [])],
    retry,
    upload,
    requestTimeoutMs,
    userAgent: options.userAgent ?? 'crossdock',
    ...(options.log !== undefined ? { log: options.log } : {}),
  };
}

function rejectUnknown(what: string, value: object, known: readonly string[]): void {
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new RegistryError({
      code: 'OPTIONS',
      message: `unknown ${what}: ${unknown.join(', ')}; valid: ${known.join(', ')}`,
    });
  }
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) invalid(name, value, 'a positive integer');
}

function nonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) invalid(name, value, 'a number >= 0');
}

function invalid(name: string, value: unknown, expected: string): never {
  throw new RegistryError({
    code: 'OPTIONS',
    message: `option ${name} is ${JSON.stringify(value)}; expected ${expected}`,
  });
}
