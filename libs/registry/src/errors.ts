/** One entry of a registry's error body, as the distribution spec defines it. */
export interface RegistryErrorEntry {
  readonly code: string;
  readonly message: string;
  readonly detail?: unknown;
}

/**
 * Codes of {@link RegistryError}: the spec's codes (BLOB_UNKNOWN, MANIFEST_UNKNOWN,
 * UNAUTHORIZED, DENIED, TOOMANYREQUESTS, ...) when the registry sent one, otherwise one of
 * crossdock's own: NETWORK, TIMEOUT, NOT_TLS, DIGEST_MISMATCH, INSECURE_TRANSPORT, UNAVAILABLE,
 * UNKNOWN, PROTOCOL, CREDENTIALS.
 */
export type RegistryErrorCode = string;

/** Everything a {@link RegistryError} is built from. */
export interface RegistryErrorInit {
  readonly code: RegistryErrorCode;
  /** The whole message; must already be free of credentials. */
  readonly message: string;
  readonly registry?: string;
  readonly status?: number;
  readonly method?: string;
  /** URL path of the failing request, never its query string. */
  readonly path?: string;
  readonly errors?: readonly RegistryErrorEntry[];
  readonly retryable?: boolean;
  readonly attempts?: number;
  /** How long the registry asked to wait (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

/**
 * An error talking to an OCI registry: keeps the spec's error codes, the HTTP status, the
 * method and path of the failing request, and whether trying again may help. It never holds
 * a credential or a token.
 */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  readonly code: RegistryErrorCode;
  readonly registry?: string;
  readonly status?: number;
  readonly method?: string;
  readonly path?: string;
  readonly errors: readonly RegistryErrorEntry[];
  readonly retryable: boolean;
  readonly attempts?: number;
  readonly retryAfterMs?: number;

  constructor(init: RegistryErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.registry = init.registry;
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.errors = init.errors ?? [];
    this.retryable = init.retryable ?? false;
    this.attempts = init.attempts;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** A copy of this error that records how many attempts were made. */
  withAttempts(attempts: number): RegistryError {
    const suffix = attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
    return new RegistryError({ ...this.init(), message: `${this.message}${suffix}`, attempts });
  }

  private init(): RegistryErrorInit {
    return {
      code: this.code,
      message: this.message,
      registry: this.registry,
      status: this.status,
      method: this.method,
      path: this.path,
      errors: this.errors,
      retryable: this.retryable,
      attempts: this.attempts,
      retryAfterMs: this.retryAfterMs,
      cause: this.cause,
    };
  }
}

/** True when `error` is a {@link RegistryError} with the given code. */
export function isRegistryError(error: unknown, code?: RegistryErrorCode): error is RegistryError {
  return error instanceof RegistryError && (code === undefined || error.code === code);
}

/**
 * The `errors` array of a registry error body, or an empty list when the body is not the
 * spec's JSON (a proxy's HTML page, a truncated body). Pure.
 */
export function parseErrorBody(text: string): readonly RegistryErrorEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const list = (parsed as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(list)) return [];
  return list
    .filter(
      (entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null,
    )
    .map((entry) => ({
      code: typeof entry['code'] === 'string' ? entry['code'] : 'UNKNOWN',
      message: typeof entry['message'] === 'string' ? entry['message'] : '',
      ...(entry['detail'] !== undefined ? { detail: entry['detail'] } : {}),
    }));
}

/** The code crossdock reports for an HTTP status when the body names none. Pure. */
export function codeForStatus(status: number): RegistryErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'DENIED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'TOOMANYREQUESTS';
  if (status === 502 || status === 503 || status === 504) return 'UNAVAILABLE';
  return 'UNKNOWN';
}

/** True for statuses worth retrying: 429 and every 5xx (never another 4xx). Pure. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** What to do about a failure of this kind, appended to error messages. Pure. */
export function hintForCode(code: RegistryErrorCode, registry: string): string {
  switch (code) {
    case 'UNAUTHORIZED':
      return `check the credentials for ${registry} (the credentials option, or the Docker config's auths/credsStore/credHelpers)`;
    case 'DENIED':
      return `the credentials for ${registry} are valid but lack permission for this repository`;
    case 'TOOMANYREQUESTS':
      return 'the registry is rate limiting; retry later or raise the retry bound';
    case 'NETWORK':
    case 'TIMEOUT':
      return `check that ${registry} is reachable`;
    default:
      return '';
  }
}
