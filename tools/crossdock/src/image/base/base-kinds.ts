import type { BaseKind } from './base-kind';
import { layoutKind } from './kinds/layout';
import { registryKind } from './kinds/registry';
import { scratchKind } from './kinds/scratch';

export type { BaseKind, BaseCacheInput, BaseDigestContext, ResolveBaseContext } from './base-kind';

/** Every kind of base, in matching order: the first whose `matches` accepts a reference is its kind (registry takes the rest). */
export const BASE_KINDS: readonly BaseKind[] = [scratchKind, layoutKind, registryKind];

/** The kind of a configured base reference. Pure and dependency-free (createNodes uses it). */
export function baseKindOf(reference: string): BaseKind {
  const kind = BASE_KINDS.find((k) => k.matches(reference));
  if (kind === undefined) throw new Error(`no base kind matches "${reference}"`);
  return kind;
}
