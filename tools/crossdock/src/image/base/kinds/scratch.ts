import type { BaseKind } from '../base-kind';

/** `scratch`: no base at all; the image holds only what crossdock adds. */
export const scratchKind: BaseKind = {
  name: 'scratch',
  matches: (reference) => reference === 'scratch',
  cacheInput: () => ({ kind: 'none' }),
  provenanceUri: () => undefined,
  mountSource: () => undefined,
  resolve: async () => (await import('../scratch-base')).scratchBase,
  currentDigest: async () => 'scratch',
};
