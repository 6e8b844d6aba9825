import type { Platform } from '@crossdock/platform';
import type { ResolvedBase } from './resolved-base';
import { scratchBase } from './scratch-base';

/** Where a base reference points: nothing, a local OCI layout, or a registry. */
export type BaseKind = 'scratch' | 'layout' | 'registry';

/** The kind of a configured base reference. */
export function baseKind(reference: string): BaseKind {
  if (reference === 'scratch') return 'scratch';
  if (reference.startsWith('oci:')) return 'layout';
  return 'registry';
}

/** What resolving a base needs from its caller. */
export interface ResolveBaseContext {
  readonly workspaceRoot: string;
  readonly project: string;
}

/**
 * Resolves a base reference for the project's platforms: every platform must be offered
 * by the base, or the error names the missing ones and what the base has.
 */
export async function resolveBase(reference: string, platforms: readonly Platform[], context: ResolveBaseContext): Promise<ResolvedBase> {
  switch (baseKind(reference)) {
    case 'scratch':
      return scratchBase;
    default:
      throw new Error(`${context.project}: base "${reference}" is not supported yet; use scratch (platforms: ${platforms.length})`);
  }
}
