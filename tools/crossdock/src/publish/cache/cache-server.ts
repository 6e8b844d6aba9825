import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { RegistryError } from '@crossdock/registry';
import type { CacheStore } from './cache-store';
import { CACHE_ENTRY_MEDIA_TYPE } from './entry-manifest';
import { storeHealth } from './registry-health';
import { readSpooled, spool, spooledDescriptor, type SpooledFile } from './spool';
import { isTaskHash } from './task-hash';
import { accessOf, type CacheTokens } from './tokens';

/** Everything the cache server is made from. */
export interface CacheServerOptions {
  readonly store: CacheStore;
  readonly tokens: CacheTokens;
  /** A directory for request and response bodies in transit (one file per request). */
  readonly spoolDir: string;
  /** Receives the server's warnings, one line each. */
  readonly warn: (line: string) => void;
  /** How often a store that failed is tried again, in ms (default 30 s). */
  readonly probeMs?: number;
}

/** Counts of what the server answered, for its closing line and for tests. */
export interface CacheServerStats {
  hits: number;
  misses: number;
  stored: number;
  conflicts: number;
  forbidden: number;
  unauthorized: number;
  badRequests: number;
  /** Uploads that broke off before their last byte (nothing was stored). */
  aborted: number;
  /** Requests the store could not answer (each one a miss, or a write not made). */
  storeFailures: number;
}

/** The server and its counters. */
export interface CacheServer {
  readonly server: Server;
  stats(): Readonly<CacheServerStats>;
}

const ROUTE = /^\/v1\/cache\/([^/?]*)$/;

/**
 * The HTTP server of Nx's self-hosted remote cache API (`GET`/`PUT /v1/cache/{hash}`),
 * answering exactly as Nx's client expects: 200 with the archive or 404 for a GET; 200
 * when a PUT is stored, 409 when the hash has an entry (or is being stored); 401 (text/plain)
 * without a valid bearer token; 403 for a PUT with the read-only token; 400 for a hash
 * that is not one. Bodies pass through a spool file, never whole in memory; an upload that
 * breaks off is never stored. When the store fails, a GET is a miss (404) and a PUT is
 * answered 409 (not stored): Nx's client fails the whole run on any 5xx, and treats 404
 * and 409 as a miss and "not stored". The store's outage is warned about once.
 */
export function createCacheServer(options: CacheServerOptions): CacheServer {
  const { store, tokens, spoolDir, warn } = options;
  const health = storeHealth(store.name, warn, options.probeMs);
  const writing = new Set<string>();
  const stats: CacheServerStats = {
    hits: 0,
    misses: 0,
    stored: 0,
    conflicts: 0,
    forbidden: 0,
    unauthorized: 0,
    badRequests: 0,
    aborted: 0,
    storeFailures: 0,
  };

  const storeFailed = (hash: string, error: unknown): void => {
    stats.storeFailures += 1;
    if (isOutage(error)) health.failed(error);
    else
      warn(
        `warning: entry ${hash} in ${store.name}: ${(error as Error).message}; answered as a miss`,
      );
  };

  async function get(hash: string, res: ServerResponse): Promise<void> {
    if (!health.shouldTry()) return miss(res);
    let file: SpooledFile | undefined;
    try {
      const entry = await store.find(hash);
      health.succeeded();
      if (!entry) return miss(res);
      // Spooled whole before the first byte goes out: a registry that breaks off midway
      // is a miss, never a truncated answer (which Nx's client would fail the run on).
      file = await spool(spoolDir, await entry.open(), entry.archive.size);
    } catch (error) {
      storeFailed(hash, error);
      return miss(res);
    }
    stats.hits += 1;
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(file.size),
    });
    await pipeline(createReadStream(file.path), res).catch(() => undefined);
    await file.remove();
  }

  function miss(res: ServerResponse): void {
    stats.misses += 1;
    text(res, 404, 'no entry for this hash');
  }

  async function put(hash: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (writing.has(hash)) {
      stats.conflicts += 1;
      return drainThen(req, () => text(res, 409, 'this hash is being stored by another request'));
    }
    writing.add(hash);
    let file: SpooledFile | undefined;
    try {
      const length = req.headers['content-length'];
      try {
        file = await spool(spoolDir, req, length === undefined ? undefined : Number(length));
      } catch (error) {
        stats.aborted += 1;
        warn(
          `warning: the upload of ${hash} broke off (${(error as Error).message}); nothing stored`,
        );
        if (!res.headersSent && !req.destroyed) text(res, 400, 'the upload was incomplete');
        return;
      }
      if (!health.shouldTry()) {
        stats.conflicts += 1;
        return text(res, 409, `not stored: ${store.name} is unavailable`);
      }
      const archive = {
        descriptor: spooledDescriptor(file, CACHE_ENTRY_MEDIA_TYPE),
        open: () => readSpooled(file!),
      };
      let outcome: 'stored' | 'exists';
      try {
        outcome = await store.write(hash, archive);
        health.succeeded();
      } catch (error) {
        storeFailed(hash, error);
        stats.conflicts += 1;
        return text(res, 409, `not stored: ${store.name} failed`);
      }
      if (outcome === 'exists') {
        stats.conflicts += 1;
        return text(res, 409, 'an entry exists for this hash; it is never replaced');
      }
      stats.stored += 1;
      text(res, 200, 'stored');
    } finally {
      writing.delete(hash);
      await file?.remove();
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const route = ROUTE.exec((req.url ?? '').split('?')[0] ?? '');
    if (!route)
      return drainThen(req, () => text(res, 404, 'not found: the API is /v1/cache/{hash}'));
    if (req.method !== 'GET' && req.method !== 'PUT') {
      res.setHeader('allow', 'GET, PUT');
      return drainThen(req, () => text(res, 405, 'only GET and PUT'));
    }
    const access = accessOf(tokens, req.headers.authorization);
    if (access === 'none') {
      stats.unauthorized += 1;
      return drainThen(req, () => text(res, 401, 'missing or invalid bearer token'));
    }
    const hash = decoded(route[1] ?? '');
    if (!isTaskHash(hash)) {
      stats.badRequests += 1;
      return drainThen(req, () =>
        text(res, 400, 'malformed hash: expected letters, digits, "_" or "-" (at most 128)'),
      );
    }
    if (req.method === 'GET') return get(hash, res);
    if (access !== 'write') {
      stats.forbidden += 1;
      return drainThen(req, () => text(res, 403, 'this token is read-only'));
    }
    return put(hash, req, res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      warn(`warning: ${req.method} ${req.url}: ${(error as Error).message}`);
      if (!res.headersSent) text(res, 404, 'internal error; treated as a miss');
      else res.destroy();
    });
  });
  return { server, stats: () => ({ ...stats }) };
}

/** True for failures of the store itself (unreachable, slow, refusing), not of one entry. */
function isOutage(error: unknown): boolean {
  if (!(error instanceof RegistryError)) return true;
  return !['DIGEST_MISMATCH', 'BLOB_UNKNOWN', 'MANIFEST_INVALID'].includes(error.code);
}

/** A path segment decoded, or '' (no hash) when its escapes are malformed. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(`${body}\n`);
}

/** Reads and drops a request's body, then answers: a client still sending is never cut off. */
function drainThen(req: IncomingMessage, answer: () => void): void {
  if (req.readableEnded) return answer();
  req.once('end', answer);
  req.once('error', () => undefined);
  req.resume();
}
