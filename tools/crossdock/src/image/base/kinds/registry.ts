import { InvalidReferenceError, parseReference } from '@crossdock/registry';
import type { BaseKind } from '../base-kind';

/**
 * A registry reference (`host/repo:tag` or `host/repo@sha256:...`): every reference that is
 * not of another kind. Its current digest is one HEAD request (a runtime input).
 */
export const registryKind: BaseKind = {
  name: 'registry',
  matches: () => true,
  cacheInput: () => ({ kind: 'current-digest' }),
  provenanceUri: (name) => `oci://${name}`,
  mountSource(name, registry) {
    try {
      const ref = parseReference(name);
      return ref.registry === registry ? ref.repository : undefined;
    } catch (error) {
      if (!(error instanceof InvalidReferenceError)) throw error;
      return undefined;
    }
  },
  resolve: async (reference, platforms, context) =>
    (await import('../registry-base')).resolveRegistryBase(reference, platforms, context),
  currentDigest: async (reference, context) =>
    (await import('./registry-digest')).registryDigest(reference, context.credentials),
};
