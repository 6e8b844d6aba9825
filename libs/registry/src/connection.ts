import { Authenticator } from './auth';
import { RegistryEndpoint } from './endpoint';
import { RegistryError } from './errors';
import {
  discard,
  HttpContext,
  HttpRequest,
  type HttpResponse,
  responseError,
  sendHttp,
} from './http';
import { RetryPolicy, withRetry } from './retry';

/** One request as the operations describe it: what, where, which scopes, which statuses are success. */
export interface RegistryRequest extends Omit<HttpRequest, 'url'> {
  /** A path under the registry (`/v2/...`) or an absolute URL (an upload Location). */
  readonly target: string | URL;
  /** Statuses that are success; anything else becomes a {@link RegistryError}. */
  readonly expect: readonly number[];
  /** Statuses returned to the caller untouched (e.g. 404 for "not there"). */
  readonly pass?: readonly number[];
}

/** The authenticated, retrying channel to one registry that every operation uses. */
export interface Connection {
  readonly endpoint: RegistryEndpoint;
  readonly http: HttpContext;
  /** Sends one request with the Authorization `scopes` need, answering one 401 challenge. */
  send(request: RegistryRequest, scopes: readonly string[]): Promise<HttpResponse>;
  /** Runs `attempt` under the retry policy; it must be safe to repeat from the start. */
  retrying<T>(operation: string, attempt: () => Promise<T>): Promise<T>;
  /** The URL of a path or Location relative to the registry. */
  url(target: string | URL): URL;
}

/** Builds the {@link Connection} of a client from its parts. */
export function createConnection(
  endpoint: RegistryEndpoint,
  http: HttpContext,
  auth: Authenticator,
  policy: RetryPolicy,
): Connection {
  const origin = new URL(endpoint.baseUrl).origin;
  const url = (target: string | URL): URL =>
    target instanceof URL ? target : new URL(target, `${endpoint.baseUrl}/`);
  return {
    endpoint,
    http,
    url,

    async send(request, scopes) {
      const target = url(request.target);
      const httpRequest: HttpRequest = {
        kind: request.kind,
        method: request.method,
        url: target,
        headers: request.headers,
        body: request.body,
      };
      // An upload Location on another origin (object storage) gets no registry credentials.
      if (target.origin !== origin)
        return checkStatus(httpRequest, await sendHttp(http, httpRequest, undefined), request);
      let authorization = await auth.authorize(scopes);
      let response = await sendHttp(http, httpRequest, authorization);
      if (response.status === 401) {
        const retry = await auth.challenge(
          response.headers.get('www-authenticate'),
          scopes,
          authorization,
        );
        if (retry) {
          await discard(response);
          authorization = await auth.authorize(scopes);
          response = await sendHttp(http, httpRequest, authorization);
        }
      }
      return checkStatus(httpRequest, response, request);
    },

    retrying(operation, attempt) {
      return withRetry(policy, attempt, (notice) =>
        http.emit({
          type: 'retry',
          operation,
          attempt: notice.attempt,
          delayMs: notice.delayMs,
          code: notice.error.code,
          ...(notice.error.status !== undefined ? { status: notice.error.status } : {}),
        }),
      );
    },
  };

  async function checkStatus(
    httpRequest: HttpRequest,
    response: HttpResponse,
    request: RegistryRequest,
  ): Promise<HttpResponse> {
    if (request.expect.includes(response.status) || request.pass?.includes(response.status))
      return response;
    throw await responseError(http, httpRequest, response, await unauthorizedHint(response.status));
  }

  async function unauthorizedHint(status: number): Promise<string | undefined> {
    if (status !== 401) return undefined;
    const source = await auth.source();
    return source === undefined
      ? `${endpoint.registry} requires authentication and no credentials were found; pass credentials or a Docker config`
      : `${endpoint.registry} refused the credentials from ${source}`;
  }
}

/** True for a RegistryError with HTTP status `status`. */
export function hasStatus(error: unknown, status: number): boolean {
  return error instanceof RegistryError && error.status === status;
}
