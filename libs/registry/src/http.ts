import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { assertTransportAllowed } from './endpoint';
import {
  codeForStatus,
  hintForCode,
  isRetryableStatus,
  parseErrorBody,
  RegistryError,
} from './errors';
import { RegistryEvent, RequestKind } from './events';
import { parseRetryAfter } from './retry';

/** One HTTP request to a registry or its token endpoint. */
export interface HttpRequest {
  readonly kind: RequestKind;
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | string;
}

/**
 * A registry's answer to one request: what the client reads of it. Node's own HTTP client
 * gives it (not fetch: its first request in a process costs some 50 ms of CPU, in every
 * `crossdock base-digest` that Nx runs before a build and in every image build).
 */
export interface HttpResponse {
  readonly status: number;
  readonly statusText: string;
  /** The URL this answer came from (the last hop of a redirect chain). */
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  /** The body, read once; empty for HEAD. */
  readonly body: ReadableStream<Uint8Array>;
  /** Releases the connection without reading the body. */
  discard(): Promise<void>;
}

/** What the HTTP layer needs from its client: policy, logging and redaction. */
export interface HttpContext {
  /** Hosts allowed over plain HTTP besides loopback. */
  readonly insecure: readonly string[];
  readonly timeoutMs: number;
  readonly userAgent: string;
  emit(event: RegistryEvent): void;
  /** Removes every known secret from a text. */
  redact(text: string): string;
}

/** Largest error body read from a registry; the rest is discarded. */
export const ERROR_BODY_LIMIT = 64 * 1024;
const MAX_REDIRECTS = 5;

/**
 * Sends one request, following redirects by hand so that `authorization` is dropped
 * when the origin changes and plain HTTP is refused where not allowed (before any
 * connection). Network failures and timeouts become retryable {@link RegistryError}s;
 * any HTTP status is returned as is.
 */
export async function sendHttp(
  ctx: HttpContext,
  request: HttpRequest,
  authorization: string | undefined,
): Promise<HttpResponse> {
  let url = request.url;
  let method: string = request.method;
  let body = request.body;
  let auth = authorization;
  for (let hop = 0; ; hop++) {
    assertTransportAllowed(url, ctx.insecure, auth !== undefined);
    const response = await requestOnce(
      ctx,
      request.kind,
      method,
      url,
      { ...request.headers, ...(auth !== undefined ? { authorization: auth } : {}) },
      body,
    );
    const location = response.headers.get('location');
    if (
      ![301, 302, 303, 307, 308].includes(response.status) ||
      location === null ||
      !isFollowable(request)
    )
      return response;
    await discard(response);
    if (hop >= MAX_REDIRECTS) {
      throw failure(ctx, request, url, {
        code: 'PROTOCOL',
        message: `more than ${MAX_REDIRECTS} redirects`,
        status: response.status,
      });
    }
    const next = new URL(location, url);
    if (url.protocol === 'https:' && next.protocol === 'http:') {
      throw failure(ctx, request, url, {
        code: 'INSECURE_TRANSPORT',
        message: `refusing a redirect from HTTPS to plain HTTP (${next.host}${next.pathname})`,
      });
    }
    if (next.origin !== url.origin) auth = undefined;
    if (response.status === 303) {
      method = 'GET';
      body = undefined;
    }
    url = next;
  }
}

// Upload sessions answer with a Location that is not a redirect; only reads follow.
function isFollowable(request: HttpRequest): boolean {
  return request.method === 'GET' || request.method === 'HEAD';
}

async function requestOnce(
  ctx: HttpContext,
  kind: RequestKind,
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: Uint8Array | string | undefined,
): Promise<HttpResponse> {
  const started = Date.now();
  const emit = (status: number): void =>
    ctx.emit({
      type: 'request',
      kind,
      method,
      host: url.host,
      path: url.pathname,
      status,
      durationMs: Date.now() - started,
    });
  // The timeout covers the whole exchange, body included.
  const signal = AbortSignal.timeout(ctx.timeoutMs);
  try {
    const response = await new Promise<HttpResponse>((resolve, reject) => {
      // node:https (and TLS) is loaded for an HTTPS registry only.
      const send = url.protocol === 'https:' ? httpsRequestOnce() : httpRequest;
      const request = send(
        url,
        { method, headers: { 'user-agent': ctx.userAgent, ...headers }, signal },
        (message) => resolve(responseOf(url, message)),
      );
      request.on('error', reject);
      request.end(body);
    });
    emit(response.status);
    return response;
  } catch (error) {
    emit(0);
    const timeout = signal.aborted;
    if (!timeout && url.protocol === 'https:' && speaksNoTls(error)) {
      // A plain-HTTP server on a non-loopback host: retrying cannot help, and nothing was sent in clear.
      throw new RegistryError({
        code: 'NOT_TLS',
        registry: url.host,
        method,
        path: url.pathname,
        retryable: false,
        message: ctx.redact(
          `${method} ${url.host}${url.pathname}: ${url.host} does not speak HTTPS (the TLS handshake got a plain-HTTP answer); ` +
            `registries that are not on a loopback address are reached over HTTPS only. If ${url.host} is really a plain-HTTP registry, ` +
            `list it in the insecure registries option (push: --insecureRegistry=${url.host}); credentials then cross the network in clear text`,
        ),
        cause: error,
      });
    }
    const reason = timeout ? `no answer within ${ctx.timeoutMs} ms` : describeNetworkError(error);
    throw new RegistryError({
      code: timeout ? 'TIMEOUT' : 'NETWORK',
      registry: url.host,
      method,
      path: url.pathname,
      retryable: true,
      message: ctx.redact(
        `${method} ${url.host}${url.pathname}: ${reason}; ${hintForCode('NETWORK', url.host)}`,
      ),
      cause: error,
    });
  }
}

/** Node's HTTPS client, loaded on first use. */
function httpsRequestOnce(): typeof httpRequest {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for an HTTPS registry
  return (require('node:https') as typeof import('node:https')).request;
}

/** The answer Node's client gave, as the registry client reads it. */
function responseOf(url: URL, message: IncomingMessage): HttpResponse {
  // Made on first read: an answer whose body nobody reads (a HEAD) loads no web streams.
  let body: ReadableStream<Uint8Array> | undefined;
  return {
    status: message.statusCode ?? 0,
    statusText: message.statusMessage ?? '',
    url: url.toString(),
    headers: {
      get(name) {
        const value = message.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    get body() {
      return (body ??= Readable.toWeb(message) as ReadableStream<Uint8Array>);
    },
    async discard() {
      if (body) await body.cancel().catch(() => undefined);
      else message.destroy();
    },
  };
}

/** The system error behind a failed request or body read (Node's client gives it as is; a stream may wrap it). */
function systemError(error: unknown): { code?: string; message?: string } {
  const { cause } = error as { cause?: { code?: string; message?: string } };
  return cause?.code !== undefined ? cause : (error as { code?: string; message?: string });
}

/** True when a TLS handshake failed because the server answered in plain HTTP (OpenSSL's "wrong version number"). */
function speaksNoTls(error: unknown): boolean {
  const { code, message } = systemError(error);
  return code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(message ?? '');
}

function describeNetworkError(error: unknown): string {
  const { code, message = String(error) } = systemError(error);
  return code !== undefined ? `${code} (${message})` : message;
}

/**
 * The {@link RegistryError} for an unexpected response: reads at most
 * {@link ERROR_BODY_LIMIT} bytes of its body for the spec's `errors`, keeps status,
 * method and path (no query string), Retry-After, and whether a retry may help.
 */
export async function responseError(
  ctx: HttpContext,
  request: HttpRequest,
  response: HttpResponse,
  hint?: string,
): Promise<RegistryError> {
  const text =
    request.method === 'HEAD'
      ? ''
      : await readCapped(response, ERROR_BODY_LIMIT).then(
          (b) => Buffer.from(b).toString('utf8'),
          () => '',
        );
  const errors = parseErrorBody(text);
  const code = errors[0]?.code ?? codeForStatus(response.status);
  const details = errors.map((e) => `${e.code}${e.message ? ` ${e.message}` : ''}`).join('; ');
  const fallbackText =
    errors.length === 0 && text.trim() !== '' && text.length < 200 && !/</.test(text)
      ? text.trim()
      : '';
  const extra = hint ?? hintForCode(code, request.url.host);
  const statusText = response.statusText ? ` ${response.statusText}` : '';
  return new RegistryError({
    code,
    registry: request.url.host,
    status: response.status,
    method: request.method,
    path: request.url.pathname,
    errors,
    retryable: isRetryableStatus(response.status),
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
    message: ctx.redact(
      `${request.method} ${request.url.host}${request.url.pathname}: HTTP ${response.status}${statusText}` +
        `${details || fallbackText ? `: ${details || fallbackText}` : ''}${extra ? `; ${extra}` : ''}`,
    ),
  });
}

/** A failure that did not come from a response (protocol or policy), with request context. */
export function failure(
  ctx: HttpContext,
  request: HttpRequest,
  url: URL,
  init: { code: string; message: string; status?: number; retryable?: boolean; cause?: unknown },
): RegistryError {
  return new RegistryError({
    code: init.code,
    registry: url.host,
    status: init.status,
    method: request.method,
    path: url.pathname,
    retryable: init.retryable ?? false,
    message: ctx.redact(`${request.method} ${url.host}${url.pathname}: ${init.message}`),
    cause: init.cause,
  });
}

/** Reads a response body, failing once it passes `limit` bytes; the rest is cancelled. */
export async function readCapped(response: HttpResponse, limit: number): Promise<Uint8Array> {
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read().catch((error: unknown) => {
      throw bodyReadError(response, total, error);
    });
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      chunks.push(value.subarray(0, value.byteLength - (total - limit)));
      await reader.cancel();
      return concat(chunks, limit);
    }
    chunks.push(value);
  }
  return concat(chunks, total);
}

/**
 * The retryable NETWORK error for a body that broke off mid-stream (the connection was
 * dropped after the headers): the status line was fine, the bytes did not all arrive.
 */
function bodyReadError(response: HttpResponse, received: number, cause: unknown): RegistryError {
  const url = response.url ? new URL(response.url) : undefined;
  const where = url ? `${url.host}${url.pathname}` : 'the registry';
  return new RegistryError({
    code: 'NETWORK',
    ...(url ? { registry: url.host, path: url.pathname } : {}),
    status: response.status,
    retryable: true,
    message: `reading the body of ${where} failed after ${received} bytes: ${describeNetworkError(cause)} (the connection was dropped mid-transfer)`,
    cause,
  });
}

/** Reads a body that must not exceed `limit` bytes; undefined when it does. */
export async function readAtMost(
  response: HttpResponse,
  limit: number,
): Promise<Uint8Array | undefined> {
  const bytes = await readCapped(response, limit + 1);
  return bytes.byteLength > limit ? undefined : bytes;
}

/** Releases a response's connection without reading its body. */
export async function discard(response: HttpResponse): Promise<void> {
  await response.discard();
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
