import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTokenServer, TokenServer, TokenServerOptions, TokenUser } from './token-server';

/** Options of {@link startRegistry}. */
export interface StartRegistryOptions {
  /** `none` (anonymous), `basic` (htpasswd) or `token` (Bearer, with a token server started alongside). */
  readonly auth?: 'none' | 'basic' | 'token';
  /** Users for `basic` and `token`; default one user `crossdock` / `crossdock-password`. */
  readonly users?: readonly TokenUser[];
  /** Extra options of the token server (auth `token` only). */
  readonly token?: Omit<TokenServerOptions, 'users'>;
  /** The registry binary; default `docker-registry` (Debian's distribution 2.8) on PATH. */
  readonly binary?: string;
  /** How long to wait for `/v2/` to answer, in ms. */
  readonly startTimeoutMs?: number;
}

/** A docker-registry process on 127.0.0.1 with its own config and storage. */
export interface RunningRegistry {
  /** `127.0.0.1:<port>`, for references and the client's `registry` option. */
  readonly host: string;
  /** Storage root; blobs live under `docker/registry/v2/blobs/sha256/<2 hex>/<hex>/data`. */
  readonly storageDir: string;
  /** The users that may log in (basic and token auth). */
  readonly users: readonly TokenUser[];
  /** The token server (auth `token` only). */
  readonly tokenServer?: TokenServer;
  /** The path of a blob's data file in storage. */
  blobDataPath(digest: string): string;
  /** The registry's log so far (stdout and stderr). */
  log(): Promise<string>;
  /** Kills the registry (and token server) and deletes its files. */
  stop(): Promise<void>;
}

const DEFAULT_USERS: readonly TokenUser[] = [
  { username: 'crossdock', password: 'crossdock-password' },
];

/**
 * Starts Debian's docker-registry on 127.0.0.1 with a free port, a temporary storage
 * directory (deletes enabled) and the requested auth, and resolves once `/v2/` answers.
 * Reused by every suite that needs a real registry.
 */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<RunningRegistry> {
  const auth = options.auth ?? 'none';
  const users = options.users ?? DEFAULT_USERS;
  const dir = await mkdtemp(join(tmpdir(), 'crossdock-registry-'));
  const storageDir = join(dir, 'storage');
  const logPath = join(dir, 'registry.log');
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const tokenServer =
    auth === 'token' ? await startTokenServer({ ...options.token, users }) : undefined;

  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: 'info', formatter: 'text', accesslog: { disabled: false } },
    storage: {
      filesystem: { rootdirectory: storageDir },
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: {
      addr: host,
      secret: `crossdock-${port}-${Date.now()}`,
      headers: { 'X-Content-Type-Options': ['nosniff'] },
    },
  };
  if (auth === 'basic') {
    const htpasswdPath = join(dir, 'htpasswd');
    const lines = await Promise.all(
      users.map(async (u) =>
        (await execa('htpasswd', ['-Bbn', u.username, u.password])).stdout.trim(),
      ),
    );
    await writeFile(htpasswdPath, `${lines.join('\n')}\n`);
    config['auth'] = { htpasswd: { realm: 'crossdock-basic', path: htpasswdPath } };
  } else if (tokenServer !== undefined) {
    config['auth'] = {
      token: {
        realm: tokenServer.realm,
        service: tokenServer.service,
        issuer: tokenServer.issuer,
        rootcertbundle: tokenServer.certPath,
      },
    };
  }
  // JSON is YAML: docker-registry reads it as its config file.
  const configPath = join(dir, 'config.yml');
  await writeFile(configPath, JSON.stringify(config, null, 2));

  await writeFile(logPath, '');
  const child = execa(options.binary ?? 'docker-registry', ['serve', configPath], {
    stdin: 'ignore',
    stdout: { file: logPath, append: true },
    stderr: { file: logPath, append: true },
    reject: false,
    // Only PATH: a REGISTRY_* variable in the caller's environment would override the config.
    extendEnv: false,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
  });
  let exited = false;
  void child.then(() => {
    exited = true;
  });

  const log = async (): Promise<string> => readFile(logPath, 'utf8').catch(() => '');
  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await child;
      clearTimeout(timer);
    }
    await tokenServer?.stop();
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitForApi(host, options.startTimeoutMs ?? 20_000, () => exited);
  } catch (error) {
    const tail = (await log()).trim().split('\n').slice(-20).join('\n');
    await stop();
    throw new Error(
      `docker-registry on ${host} did not start: ${(error as Error).message}\n${tail}`,
      { cause: error },
    );
  }

  return {
    host,
    storageDir,
    users,
    ...(tokenServer !== undefined ? { tokenServer } : {}),
    blobDataPath: (digest) => {
      const hex = digest.replace(/^sha256:/, '');
      return join(
        storageDir,
        'docker',
        'registry',
        'v2',
        'blobs',
        'sha256',
        hex.slice(0, 2),
        hex,
        'data',
      );
    },
    log,
    stop,
  };
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) =>
    server.once('error', reject).listen(0, '127.0.0.1', resolve),
  );
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string')
    throw new Error('could not find a free port');
  return address.port;
}

async function waitForApi(
  host: string,
  timeoutMs: number,
  hasExited: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('the process exited');
    try {
      const response = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      if (response.status === 200 || response.status === 401) return;
      last = `GET /v2/ answered ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer from http://${host}/v2/ within ${timeoutMs} ms (${last})`);
}
