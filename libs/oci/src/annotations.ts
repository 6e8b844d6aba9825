/**
 * The pre-defined OCI annotation keys crossdock writes (image-spec `annotations.md`).
 * `refName` names a manifest in a layout's index.json; `baseName`/`baseDigest` record the
 * base image of a manifest.
 */
export const Annotation = {
  refName: 'org.opencontainers.image.ref.name',
  baseName: 'org.opencontainers.image.base.name',
  baseDigest: 'org.opencontainers.image.base.digest',
  created: 'org.opencontainers.image.created',
  title: 'org.opencontainers.image.title',
  source: 'org.opencontainers.image.source',
  revision: 'org.opencontainers.image.revision',
  version: 'org.opencontainers.image.version',
} as const;

/** A readonly map of annotation keys to values. */
export type Annotations = Readonly<Record<string, string>>;
