import { AuthChallenge, parseWwwAuthenticate } from './challenge';
import {
  CredentialStore,
  FoundCredentials,
  isBasic,
  isIdentityToken,
  isToken,
  secretsOf,
} from './credentials';
import { RegistryError } from './errors';
import { discard, HttpContext, readAtMost, responseError, sendHttp } from './http';
import { Redactor } from './redact';

/** Decides the Authorization header of each request and learns from 401 challenges. */
export interface Authenticator {
  /** The Authorization header for a request needing `scopes`, or undefined (anonymous). */
  authorize(scopes: readonly string[]): Promise<string | undefined>;
  /**
   * Learns from a 401's WWW-Authenticate header (fetching a token for `scopes` when it is
   * a Bearer challenge). True when repeating the request with {@link authorize} may pass.
   */
  challenge(
    header: string | null,
    scopes: readonly string[],
    sent: string | undefined,
  ): Promise<boolean>;
  /** Where the credentials came from, for messages; undefined when anonymous. */
  source(): Promise<string | undefined>;
}

type Mode =
  | { readonly scheme: 'unknown' | 'basic' }
  | { readonly scheme: 'bearer'; readonly realm: string; readonly service?: string };

interface CachedToken {
  readonly header: string;
  readonly expiresAt: number;
}

const TOKEN_RESPONSE_LIMIT = 1024 * 1024;
const DEFAULT_TOKEN_SECONDS = 60;

/**
 * An {@link Authenticator} for one registry: anonymous until challenged, then Basic or
 * Bearer. Bearer tokens are cached per scope set for their lifetime (less a margin).
 */
export function createAuthenticator(
  ctx: HttpContext,
  registry: string,
  store: CredentialStore | undefined,
  clientId: string,
  redactor: Redactor,
): Authenticator {
  let mode: Mode = { scheme: 'unknown' };
  const tokens = new Map<string, CachedToken>();
  // Concurrent requests needing the same scopes share one token request.
  const pending = new Map<string, Promise<string>>();
  let found: Promise<FoundCredentials | undefined> | undefined;
  const credentials = (): Promise<FoundCredentials | undefined> => {
    found ??= (store?.find(registry) ?? Promise.resolve(undefined)).then((result) => {
      redactor.add(...secretsOf(result?.credentials));
      return result;
    });
    return found;
  };

  return {
    async authorize(scopes) {
      const creds = (await credentials())?.credentials;
      if (creds !== undefined && isToken(creds)) return `Bearer ${creds.token}`;
      if (mode.scheme === 'basic')
        return creds !== undefined && isBasic(creds)
          ? basicHeader(creds.username, creds.password)
          : undefined;
      if (mode.scheme === 'bearer') {
        const cached = tokens.get(scopeKey(scopes));
        if (cached !== undefined && cached.expiresAt > Date.now()) {
          ctx.emit({ type: 'auth', scheme: 'bearer', scopes, cached: true });
          return cached.header;
        }
        return fetchToken(mode, scopes);
      }
      return undefined;
    },

    async challenge(header, scopes, sent) {
      const creds = (await credentials())?.credentials;
      if (creds !== undefined && isToken(creds)) return false; // a fixed token either works or not
      const challenges = parseWwwAuthenticate(header ?? '');
      const bearer = challenges.find((c) => c.scheme === 'bearer');
      const basic = challenges.find((c) => c.scheme === 'basic');
      if (bearer !== undefined) return learnBearer(bearer, scopes, sent);
      if (basic !== undefined && creds !== undefined && isBasic(creds)) {
        const alreadySent = mode.scheme === 'basic' && sent !== undefined;
        mode = { scheme: 'basic' };
        ctx.emit({ type: 'auth', scheme: 'basic', scopes, cached: false });
        return !alreadySent;
      }
      return false;
    },

    source: async () => (await credentials())?.source,
  };

  async function learnBearer(
    bearer: AuthChallenge,
    scopes: readonly string[],
    sent: string | undefined,
  ): Promise<boolean> {
    const realm = bearer.params['realm'];
    if (realm === undefined || realm === '') {
      throw new RegistryError({
        code: 'PROTOCOL',
        registry,
        message: `registry ${registry} sent a Bearer challenge without a realm`,
      });
    }
    const next: Mode = {
      scheme: 'bearer',
      realm,
      ...(bearer.params['service'] !== undefined ? { service: bearer.params['service'] } : {}),
    };
    const key = scopeKey(scopes);
    const cached = tokens.get(key);
    mode = next;
    // The cached token was just refused (expired early, revoked, too narrow): get a new one, once.
    if (cached !== undefined && cached.header === sent) tokens.delete(key);
    // A concurrent request got a token for these scopes meanwhile: use it.
    else if (cached !== undefined && cached.expiresAt > Date.now()) return true;
    await fetchToken(next, scopes);
    return true;
  }

  function fetchToken(
    bearer: Extract<Mode, { scheme: 'bearer' }>,
    scopes: readonly string[],
  ): Promise<string> {
    const key = `${bearer.realm} ${scopeKey(scopes)}`;
    const inFlight = pending.get(key);
    if (inFlight !== undefined) return inFlight;
    const request = requestToken(bearer, scopes).finally(() => pending.delete(key));
    pending.set(key, request);
    return request;
  }

  async function requestToken(
    bearer: Extract<Mode, { scheme: 'bearer' }>,
    scopes: readonly string[],
  ): Promise<string> {
    const found = await credentials();
    const creds = found?.credentials;
    const url = new URL(bearer.realm);
    const identity = creds !== undefined && isIdentityToken(creds);
    let request;
    if (identity) {
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: creds.identityToken,
        client_id: clientId,
      });
      if (bearer.service !== undefined) form.set('service', bearer.service);
      if (scopes.length > 0) form.set('scope', scopes.join(' '));
      request = {
        kind: 'token',
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      } as const;
    } else {
      if (bearer.service !== undefined) url.searchParams.set('service', bearer.service);
      for (const scope of scopes) url.searchParams.append('scope', scope);
      request = { kind: 'token', method: 'GET', url } as const;
    }
    const authorization =
      creds !== undefined && isBasic(creds)
        ? basicHeader(creds.username, creds.password)
        : undefined;
    const response = await sendHttp(ctx, request, authorization);
    if (response.status < 200 || response.status > 299) {
      const hint =
        found === undefined
          ? `the token service at ${url.host} refused anonymous access; give credentials for ${registry}`
          : `the token service at ${url.host} refused the credentials from ${found.source}`;
      throw await responseError(
        ctx,
        request,
        response,
        response.status === 401 || response.status === 403 ? hint : undefined,
      );
    }
    const bytes = await readAtMost(response, TOKEN_RESPONSE_LIMIT);
    const parsed = parseTokenResponse(
      bytes === undefined ? '' : Buffer.from(bytes).toString('utf8'),
    );
    if (parsed === undefined) {
      await discard(response);
      throw new RegistryError({
        code: 'PROTOCOL',
        registry,
        message: `the token service at ${url.host}${url.pathname} answered without a token`,
      });
    }
    const header = `Bearer ${parsed.token}`;
    redactor.add(parsed.token);
    const lifetime = parsed.expiresIn ?? DEFAULT_TOKEN_SECONDS;
    const margin = Math.min(10, lifetime / 2);
    tokens.set(scopeKey(scopes), { header, expiresAt: Date.now() + (lifetime - margin) * 1000 });
    ctx.emit({ type: 'auth', scheme: 'bearer', scopes, cached: false });
    return header;
  }
}

/** The token and lifetime (seconds) in a token endpoint's JSON: `token` or `access_token`. Pure. */
export function parseTokenResponse(
  text: string,
): { token: string; expiresIn?: number } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
  const token =
    typeof record['token'] === 'string' && record['token'] !== ''
      ? record['token']
      : record['access_token'];
  if (typeof token !== 'string' || token === '') return undefined;
  const expiresIn = record['expires_in'];
  return { token, ...(typeof expiresIn === 'number' && expiresIn > 0 ? { expiresIn } : {}) };
}

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

function scopeKey(scopes: readonly string[]): string {
  return [...scopes].sort().join(' ');
}
