import type { CredentialStore } from '@crossdock/registry';
import type { Platform } from '@crossdock/platform';
import { baseKind } from './base-kind';
import { resolveLayoutBase } from './layout-base';
import { resolveRegistryBase } from './registry-base';
import type { ResolvedBase } from './resolved-base';
import { scratchBase } from './scratch-base';

export { baseKind, type BaseKind } from './base-kind';

/** What resolving a base needs from its caller. */
export interface ResolveBaseContext {
  readonly workspaceRoot: string;
  readonly project: string;
  /** Credentials for registry bases (the executor loads them from the Docker config); anonymous when absent. */
  readonly credentials?: CredentialStore;
  /** Registry hosts reachable over plain HTTP besides loopback ones. */
  readonly insecure?: readonly string[];
}

/**
 * Resolves a base reference for the project's platforms: every platform must be offered
 * by the base, or the error names the missing ones and what the base has.
 */
export async function resolveBase(
  reference: string,
  platforms: readonly Platform[],
  context: ResolveBaseContext,
): Promise<ResolvedBase> {
  switch (baseKind(reference)) {
    case 'scratch':
      return scratchBase;
    case 'layout':
      return resolveLayoutBase(reference, platforms, context);
    case 'registry':
      return resolveRegistryBase(reference, platforms, context);
  }
}
