import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistryClient, type CredentialStore } from '@crossdock/registry';
import { createCacheServer, type CacheServer } from './cache-server';
import { registryCacheStore } from './registry-store';
import type { StoreLocation } from './store-reference';
import type { CacheTokens } from './tokens';

/** Everything `crossdock cache serve` needs, normalised by the CLI. */
export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly store: StoreLocation;
  readonly tokens: CacheTokens;
  readonly credentials: CredentialStore;
  readonly insecure: readonly string[];
  /** The longest one registry request may take, in ms, before it counts as a failure. */
  readonly timeoutMs: number;
  /** How often a failed store is tried again, in ms. */
  readonly probeMs?: number;
  readonly log: (line: string) => void;
  readonly warn: (line: string) => void;
}

/** A running cache server: its URL, its counters, and how to stop it. */
export interface RunningCacheServer {
  readonly url: string;
  readonly server: CacheServer;
  /** Stops taking requests, waits for those under way, removes the spool directory. */
  close(): Promise<void>;
}

/**
 * Starts the cache server on HOST:PORT with its entries in a registry repository. A port
 * in use is a one-line error; a registry that is down is not (it is a miss until it answers).
 */
export async function startCacheServer(options: ServeOptions): Promise<RunningCacheServer> {
  const client = createRegistryClient({
    registry: options.store.registry,
    credentials: options.credentials,
    insecure: options.insecure,
    requestTimeoutMs: options.timeoutMs,
    retry: { maxAttempts: 2, initialDelayMs: 200, maxElapsedMs: options.timeoutMs },
    upload: { chunkThreshold: 8 * 1024 * 1024, chunkSize: 8 * 1024 * 1024 },
    userAgent: 'crossdock-cache',
  });
  const spoolDir = await mkdtemp(join(tmpdir(), 'crossdock-cache-'));
  const cache = createCacheServer({
    store: registryCacheStore(client, options.store.repository),
    tokens: options.tokens,
    spoolDir,
    warn: options.warn,
    ...(options.probeMs !== undefined ? { probeMs: options.probeMs } : {}),
  });
  const where = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
  try {
    await new Promise<void>((resolve, reject) => {
      cache.server.once('error', reject);
      cache.server.listen(options.port, options.host, () => resolve());
    });
  } catch (error) {
    await rm(spoolDir, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new Error(`cannot listen on ${where}: the port is in use; pick another with --listen`, {
        cause: error,
      });
    throw new Error(`cannot listen on ${where}: ${(error as Error).message}`, { cause: error });
  }
  const port = (cache.server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  options.log(
    `crossdock cache: serving ${url} (NX_SELF_HOSTED_REMOTE_CACHE_SERVER), entries in ${options.store.registry}/${options.store.repository}`,
  );
  return {
    url,
    server: cache,
    async close() {
      await new Promise<void>((resolve) => cache.server.close(() => resolve()));
      await rm(spoolDir, { recursive: true, force: true });
    },
  };
}
