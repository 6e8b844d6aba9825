import { execa } from 'execa';
import { createPrivateKey, createSign, randomUUID, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A user the token server knows, with the password it checks (HTTP Basic). */
export interface TokenUser {
  readonly username: string;
  readonly password: string;
}

/** Options of {@link startTokenServer}. */
export interface TokenServerOptions {
  readonly users: readonly TokenUser[];
  /** The `service` the registry names in its challenge (and expects as `aud`). */
  readonly service?: string;
  /** The `iss` claim the registry trusts. */
  readonly issuer?: string;
  /** Lifetime of issued tokens in seconds (`expires_in`). */
  readonly lifetimeSeconds?: number;
  /** Whether anonymous clients get `pull` access (otherwise a token with no access). */
  readonly anonymousPull?: boolean;
  /** OAuth2 refresh tokens (Docker's identitytoken) accepted by `POST`, mapped to the user they stand for. */
  readonly refreshTokens?: Readonly<Record<string, string>>;
}

/** What one token request asked for and got; never holds a secret. */
export interface TokenRequestRecord {
  readonly method: string;
  readonly account?: string;
  readonly service?: string;
  readonly scopes: readonly string[];
  readonly status: number;
}

/** A running token server. */
export interface TokenServer {
  /** The realm URL to put in the registry's `auth.token.realm`. */
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  /** PEM certificate of the signing key: the registry's `auth.token.rootcertbundle`. */
  readonly certPath: string;
  /** Token requests received so far, oldest first. */
  requests(): readonly TokenRequestRecord[];
  stop(): Promise<void>;
}

/**
 * Starts a token service on 127.0.0.1 for docker-registry's `auth.token` (distribution
 * 2.8): RS256 JWTs whose `x5c` header carries a self-signed certificate (made with
 * openssl) that the registry trusts through `rootcertbundle`, and an `access` claim
 * granting the requested repository scopes to known users. Credentials are checked with
 * HTTP Basic (GET) or the OAuth2 password / refresh_token grants (POST).
 */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const service = options.service ?? 'crossdock-registry';
  const issuer = options.issuer ?? 'crossdock-token-server';
  const lifetime = options.lifetimeSeconds ?? 300;
  const dir = await mkdtemp(join(tmpdir(), 'crossdock-token-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  await execa('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    '2',
    '-subj',
    '/CN=crossdock-token-server',
  ]);
  const key = createPrivateKey(await readFile(keyPath));
  const certDer = new X509Certificate(await readFile(certPath)).raw.toString('base64');
  const records: TokenRequestRecord[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://token');
    const form = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : undefined;
    const params = form ?? url.searchParams;
    const scopes = form
      ? (form.get('scope') ?? '').split(' ').filter(Boolean)
      : url.searchParams.getAll('scope');
    const account = authenticate(req, form, options);
    const record = (status: number, who?: string): void => {
      records.push({
        method: req.method ?? '',
        scopes,
        status,
        ...(who ? { account: who } : {}),
        ...(params.get('service') ? { service: params.get('service') ?? '' } : {}),
      });
    };
    if (account === 'invalid') {
      record(401);
      reply(
        res,
        401,
        { errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] },
        { 'www-authenticate': 'Basic realm="crossdock-token"' },
      );
      return;
    }
    const access = scopes.flatMap((scope) => grant(scope, account, options.anonymousPull ?? false));
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer,
      sub: account ?? '',
      aud: params.get('service') ?? service,
      exp: now + lifetime,
      nbf: now - 5,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const token = signJwt({ typ: 'JWT', alg: 'RS256', x5c: [certDer] }, claims, key);
    record(200, account);
    reply(res, 200, {
      token,
      access_token: token,
      expires_in: lifetime,
      issued_at: new Date(now * 1000).toISOString(),
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => reply(res, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certPath,
    requests: () => [...records],
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// undefined = anonymous; 'invalid' = credentials that do not match.
function authenticate(
  req: IncomingMessage,
  form: URLSearchParams | undefined,
  options: TokenServerOptions,
): string | undefined | 'invalid' {
  const check = (username: string, password: string): string =>
    options.users.some((u) => u.username === username && u.password === password)
      ? username
      : 'invalid';
  if (form !== undefined) {
    const grantType = form.get('grant_type');
    if (grantType === 'refresh_token')
      return options.refreshTokens?.[form.get('refresh_token') ?? ''] ?? 'invalid';
    if (grantType === 'password')
      return check(form.get('username') ?? '', form.get('password') ?? '');
    return 'invalid';
  }
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  if (!header.startsWith('Basic ')) return 'invalid';
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? 'invalid' : check(decoded.slice(0, colon), decoded.slice(colon + 1));
}

function grant(
  scope: string,
  account: string | undefined,
  anonymousPull: boolean,
): { type: string; name: string; actions: string[] }[] {
  const parts = scope.split(':');
  if (parts.length < 3) return [];
  const type = parts[0] ?? '';
  const actions = (parts[parts.length - 1] ?? '').split(',').filter(Boolean);
  const name = parts.slice(1, -1).join(':');
  const allowed =
    account !== undefined ? actions : anonymousPull ? actions.filter((a) => a === 'pull') : [];
  return allowed.length > 0 ? [{ type, name, actions: allowed }] : [];
}

function signJwt(header: object, claims: object, key: ReturnType<typeof createPrivateKey>): string {
  const encode = (value: object): string =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key).toString('base64url');
  return `${input}.${signature}`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function reply(
  res: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
