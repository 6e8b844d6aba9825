import type { Platform } from '@crossdock/platform';
import { baseKindOf, type ResolveBaseContext } from './base-kinds';
import type { ResolvedBase } from './resolved-base';

export { baseKindOf, type BaseKind, type ResolveBaseContext } from './base-kinds';

/**
 * Resolves a base reference for the project's platforms, by its kind: every platform must
 * be offered by the base, or the error names the missing ones and what the base has.
 */
export async function resolveBase(
  reference: string,
  platforms: readonly Platform[],
  context: ResolveBaseContext,
): Promise<ResolvedBase> {
  return baseKindOf(reference).resolve(reference, platforms, context);
}
