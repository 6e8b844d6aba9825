import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import { createRegistryClient } from '@crossdock/registry';
import { dockerCredentials } from '../../publish/credentials/docker-config';
import { pruneEntries } from '../../publish/cache/prune';
import { startCacheServer } from '../../publish/cache/serve';
import { parseListen, parseStoreLocation } from '../../publish/cache/store-reference';
import { UsageError, type CliCommand, type CliIo } from '../command';

const USAGE = `usage: crossdock cache serve --listen HOST:PORT --store REGISTRY/REPOSITORY
                            [--timeout SECONDS] [--insecure-registry HOST]...
       crossdock cache prune --store REGISTRY/REPOSITORY --older-than DAYS
                            [--insecure-registry HOST]...

serve: Nx's self-hosted remote cache (GET/PUT /v1/cache/{hash}) with its entries stored
in an OCI registry repository, one manifest per task hash, tagged with the hash. Point
Nx at it with NX_SELF_HOSTED_REMOTE_CACHE_SERVER=http://HOST:PORT and
NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN. Tokens come from the environment:
CROSSDOCK_CACHE_TOKEN reads and writes, CROSSDOCK_CACHE_READ_TOKEN only reads (give it to
pipelines of untrusted pull requests); at least one is required. Entries are never
replaced. A registry that is down or slower than --timeout (default 15) makes every
request a cache miss, with one warning. Registry credentials: the Docker config. Runs
until SIGINT or SIGTERM, then prints what it served.

prune: deletes the entries stored more than DAYS days ago (registries that allow deletes;
their garbage collection frees the space).`;

/** `crossdock cache serve|prune`: the remote cache server for Nx, stored in a registry. */
export const cacheCommand: CliCommand = {
  name: 'cache',
  summary: "serve Nx's remote cache from an OCI registry (serve), or prune old entries (prune)",
  usage: USAGE,
  outsideWorkspace: true,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'serve') return serve(rest, io);
    if (sub === 'prune') return prune(rest, io);
    throw new UsageError(
      `expected "serve" or "prune", got ${sub === undefined ? 'nothing' : JSON.stringify(sub)}`,
    );
  },
};

function parse(args: readonly string[], extra: Record<string, { type: 'string' }>) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        store: { type: 'string' },
        'insecure-registry': { type: 'string', multiple: true, default: [] },
        ...extra,
      },
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | string[] | undefined>;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function positiveNumber(flag: string, value: string | undefined, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const number = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(number) || number <= 0)
    throw new UsageError(`${flag} needs a positive number, got ${JSON.stringify(value ?? '')}`);
  return number;
}

async function serve(args: readonly string[], io: CliIo): Promise<number> {
  const values = parse(args, { listen: { type: 'string' }, timeout: { type: 'string' } });
  if (typeof values.listen !== 'string') throw new UsageError('--listen HOST:PORT is required');
  if (typeof values.store !== 'string')
    throw new UsageError('--store REGISTRY/REPOSITORY is required');
  const { host, port } = parseListen(values.listen);
  const store = parseStoreLocation(values.store);
  const timeoutMs = positiveNumber('--timeout', values.timeout as string | undefined, 15) * 1000;
  const readWrite = io.env.CROSSDOCK_CACHE_TOKEN || undefined;
  const readOnly = io.env.CROSSDOCK_CACHE_READ_TOKEN || undefined;
  if (!readWrite && !readOnly)
    throw new Error(
      'set CROSSDOCK_CACHE_TOKEN (read-write) and/or CROSSDOCK_CACHE_READ_TOKEN (read-only): the cache never serves without a token',
    );
  if (readWrite && readWrite === readOnly)
    throw new Error(
      'CROSSDOCK_CACHE_TOKEN and CROSSDOCK_CACHE_READ_TOKEN are equal; give them different values',
    );
  const running = await startCacheServer({
    host,
    port,
    store,
    tokens: { ...(readWrite ? { readWrite } : {}), ...(readOnly ? { readOnly } : {}) },
    credentials: await dockerCredentials(io.env, homedir()),
    insecure: values['insecure-registry'] as string[],
    timeoutMs,
    log: (line) => io.stdout.write(`${line}\n`),
    warn: (line) => io.stderr.write(`crossdock cache: ${line}\n`),
  });
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await running.close();
  const s = running.server.stats();
  io.stdout.write(
    `crossdock cache: stopped; hits ${s.hits}, misses ${s.misses}, stored ${s.stored}, conflicts ${s.conflicts}, ` +
      `unauthorized ${s.unauthorized}, forbidden ${s.forbidden}, bad requests ${s.badRequests}, aborted uploads ${s.aborted}, store failures ${s.storeFailures}\n`,
  );
  return 0;
}

async function prune(args: readonly string[], io: CliIo): Promise<number> {
  const values = parse(args, { 'older-than': { type: 'string' } });
  if (typeof values.store !== 'string')
    throw new UsageError('--store REGISTRY/REPOSITORY is required');
  const days = positiveNumber('--older-than', values['older-than'] as string | undefined);
  const store = parseStoreLocation(values.store);
  const client = createRegistryClient({
    registry: store.registry,
    credentials: await dockerCredentials(io.env, homedir()),
    insecure: values['insecure-registry'] as string[],
  });
  const cutoff = Date.now() - days * 24 * 60 * 60 * 1000;
  const result = await pruneEntries(client, store.repository, cutoff);
  io.stdout.write(
    `crossdock cache: deleted ${result.deleted} of ${result.entries} entries older than ${days} days from ${store.registry}/${store.repository}\n`,
  );
  return 0;
}
