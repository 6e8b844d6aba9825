import type { Image } from '@crossdock/oci';
import type { Platform } from '@crossdock/platform';

/** A base image resolved for a project's platforms: one image per platform, in the plan's order. */
export interface ResolvedBase {
  /** `scratch`, or the reference as configured. */
  readonly name: string;
  /** Digest of the base index (or manifest); undefined for scratch. */
  readonly digest?: string;
  /** The reference an engine's FROM line should use (pinned by digest when known). */
  readonly from: string;
  /** Registry repository the base layers live in, for cross-repository mounts when pushing. */
  readonly registryRepository?: { readonly host: string; readonly repository: string };
  imageFor(platform: Platform): Image;
  /** Whether the base's root filesystem for `platform` has `path` (absolute, symlinks followed). */
  hasPath(platform: Platform, path: string): Promise<boolean>;
}
