import type { CredentialStore } from '@crossdock/registry';
import type { Platform } from '@crossdock/platform';
import type { BlobCache } from './blob-cache';
import type { ResolvedBase } from './resolved-base';

/**
 * One kind of base image (scratch, an `oci:` layout, a registry reference): everything the
 * rest of crossdock asks of a base reference goes through this interface, so a new kind is
 * one module in ./kinds and one line in ./base-kinds.ts. The light methods are pure and
 * dependency-free (createNodes calls them); `resolve` and `currentDigest` load their
 * libraries only when called.
 */
export interface BaseKind {
  /** The kind's name, for messages and tests. */
  readonly name: string;
  /** Whether `reference` (the base option as written) is of this kind. */
  matches(reference: string): boolean;
  /** How the image target's Nx cache notices a change of the base. */
  cacheInput(reference: string): BaseCacheInput;
  /** The base's URI in SLSA provenance, or undefined when the image has no base to name. */
  provenanceUri(name: string): string | undefined;
  /** The repository of `registry` holding the base's layers (mounted instead of uploaded on push), if any. */
  mountSource(name: string, registry: string): string | undefined;
  /** The base resolved for the project's platforms (every platform must be offered). */
  resolve(
    reference: string,
    platforms: readonly Platform[],
    context: ResolveBaseContext,
  ): Promise<ResolvedBase>;
  /** The line `crossdock base-digest` prints: the digest the base points at now, or `unresolved: <reason>`. */
  currentDigest(reference: string, context: BaseDigestContext): Promise<string>;
}

/** How a cache notices a change of base: never, through a workspace file, or by asking for the current digest. */
export type BaseCacheInput =
  | { readonly kind: 'none' }
  /** A file inside the workspace (relative to its root) that changes with the base. */
  | { readonly kind: 'workspace-file'; readonly path: string }
  /** A runtime input: `crossdock base-digest <reference>` (see currentDigest). */
  | { readonly kind: 'current-digest' };

/** What resolving a base needs from its caller. */
export interface ResolveBaseContext {
  readonly workspaceRoot: string;
  readonly project: string;
  /** Credentials for registry bases (the executor loads them from the Docker config); anonymous when absent. */
  readonly credentials?: CredentialStore;
  /** Registry hosts reachable over plain HTTP besides loopback ones. */
  readonly insecure?: readonly string[];
  /** Where a registry base's configs and layers are kept between builds (none: fetched every time). */
  readonly blobCache?: BlobCache;
}

/** What `crossdock base-digest` gives a kind: the workspace, and credentials loaded only if asked for. */
export interface BaseDigestContext {
  readonly workspaceRoot: string;
  credentials(): Promise<CredentialStore>;
}
