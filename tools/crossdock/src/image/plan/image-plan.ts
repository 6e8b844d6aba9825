import type { Platform } from '@crossdock/platform';

/** Where a file's bytes come from: a file on disk (absolute path), or text crossdock generates. */
export type FileSource = string | { readonly text: string };

/** A file of the image's root filesystem: where it goes, its mode and owner, and where its bytes come from. */
export interface RootfsFile {
  /** Path inside the image, relative to `/` (e.g. `usr/local/bin/hello`). */
  readonly path: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly source: FileSource;
}

/** What goes into the image of one platform on top of the base. */
export interface PlatformPlan {
  readonly platform: Platform;
  /** Absolute path of the compiled binary. */
  readonly binary: string;
  /** Every file of the application layer, the binary included. */
  readonly files: readonly RootfsFile[];
  /** This platform's manifest annotations when they differ from the plan's (user annotations). */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The container configuration shared by every platform. */
export interface ImageConfigPlan {
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly user: string;
  readonly workdir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly exposedPorts: readonly number[];
}

/**
 * Everything an engine needs to build one project's images, identical for every engine:
 * engines differ in how they build, never in what.
 */
export interface ImagePlan {
  readonly project: string;
  /** `scratch`, a registry reference or `oci:<path>`, as configured. */
  readonly base: string;
  readonly binaryName: string;
  readonly platforms: readonly PlatformPlan[];
  /** Files shared by every platform (passwd, group, CA bundle), also written once into the build context. */
  readonly sharedFiles: readonly RootfsFile[];
  readonly config: ImageConfigPlan;
  /** Unix seconds used for layer mtimes and `created`. */
  readonly epoch: number;
  /** gzip level of the layers an engine compresses itself (the builtin engine's). */
  readonly compressionLevel: number;
  /** Annotations of the index and of each manifest (base name/digest, etc.). */
  readonly annotations: Readonly<Record<string, string>>;
  /** The index's annotations when they differ from `annotations` (user annotations). */
  readonly indexAnnotations?: Readonly<Record<string, string>>;
}

/** The annotations of one platform's manifest. */
export function manifestAnnotations(
  plan: ImagePlan,
  platformPlan: PlatformPlan,
): Readonly<Record<string, string>> {
  return platformPlan.annotations ?? plan.annotations;
}

/** The annotations of the index. */
export function indexAnnotations(plan: ImagePlan): Readonly<Record<string, string>> {
  return plan.indexAnnotations ?? plan.annotations;
}
