import { parseReference } from '@crossdock/registry';

/** Where the cache entries go: a registry and a repository in it. */
export interface StoreLocation {
  readonly registry: string;
  readonly repository: string;
}

/**
 * Parses `--store REGISTRY/REPOSITORY` (e.g. `127.0.0.1:5000/team/nx-cache`,
 * `ghcr.io/org/nx-cache`): an image reference naming its registry host and no tag or
 * digest (each entry is tagged with its hash). Throws a one-line error otherwise.
 */
export function parseStoreLocation(store: string): StoreLocation {
  const hint = 'expected REGISTRY/REPOSITORY such as 127.0.0.1:5000/team/nx-cache';
  const slash = store.indexOf('/');
  const host = slash > 0 ? store.slice(0, slash) : '';
  if (!/[.:]/.test(host) && host !== 'localhost')
    throw new Error(`--store ${JSON.stringify(store)} names no registry host; ${hint}`);
  if (store.includes('@') || store.slice(slash + 1).includes(':'))
    throw new Error(
      `--store ${JSON.stringify(store)} has a tag or digest; give the repository alone (${hint})`,
    );
  let parsed;
  try {
    parsed = parseReference(store);
  } catch (error) {
    throw new Error(`--store: ${(error as Error).message}; ${hint}`, { cause: error });
  }
  return { registry: parsed.registry, repository: parsed.repository };
}

/** Parses `--listen HOST:PORT` (IPv6 as `[::1]:PORT`); port 0 takes a free one. */
export function parseListen(listen: string): { readonly host: string; readonly port: number } {
  const match = /^(\[[0-9A-Fa-f:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(listen);
  const port = Number(match?.[2]);
  if (!match || !match[1] || port > 65535)
    throw new Error(
      `--listen ${JSON.stringify(listen)} is not HOST:PORT (e.g. 127.0.0.1:3000, or port 0 for a free one)`,
    );
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}
