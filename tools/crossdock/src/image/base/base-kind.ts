/** Where a base reference points: nothing, a local OCI layout, or a registry. */
export type BaseKind = 'scratch' | 'layout' | 'registry';

/** The prefix of a base that is a local OCI image layout: `oci:<path>`. */
export const LAYOUT_PREFIX = 'oci:';

/**
 * The kind of a configured base reference. Pure and dependency-free, so createNodes can
 * use it without loading the image libraries.
 */
export function baseKind(reference: string): BaseKind {
  if (reference === 'scratch') return 'scratch';
  if (reference.startsWith(LAYOUT_PREFIX)) return 'layout';
  return 'registry';
}
