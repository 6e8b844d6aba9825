import type { OciPlatform } from './descriptor';
import { isDigest } from './digest';
import { ImageModelError } from './errors';
import { parseJsonObject } from './json';

/** The runtime part of an image config (`config` in image-spec's config.md; Docker's names). */
export interface ContainerConfig {
  readonly User?: string;
  readonly Env?: readonly string[];
  readonly Entrypoint?: readonly string[];
  readonly Cmd?: readonly string[];
  readonly WorkingDir?: string;
  readonly Labels?: Readonly<Record<string, string>>;
  readonly ExposedPorts?: Readonly<Record<string, Readonly<Record<string, never>>>>;
  readonly Volumes?: Readonly<Record<string, Readonly<Record<string, never>>>>;
  readonly StopSignal?: string;
}

/** One `history` entry of an image config. */
export interface HistoryEntry {
  readonly created?: string;
  readonly created_by?: string;
  readonly author?: string;
  readonly comment?: string;
  readonly empty_layer?: boolean;
}

/** The `rootfs` of an image config: the diff_ids of the layers, bottom first. */
export interface RootFs {
  readonly type: 'layers';
  readonly diff_ids: readonly string[];
}

/** An OCI image config (application/vnd.oci.image.config.v1+json). */
export interface ImageConfig {
  readonly created?: string;
  readonly author?: string;
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string;
  readonly 'os.version'?: string;
  readonly 'os.features'?: readonly string[];
  readonly config?: ContainerConfig;
  readonly rootfs: RootFs;
  readonly history?: readonly HistoryEntry[];
}

/** The `created` time crossdock uses when none is given: the unix epoch. */
export const EPOCH = '1970-01-01T00:00:00Z';

/** Parses and checks image config JSON; `source` names it in errors. Unknown members are kept. */
export function parseImageConfig(bytes: Uint8Array, source: string): ImageConfig {
  const json = parseJsonObject(bytes, source);
  if (typeof json.architecture !== 'string' || typeof json.os !== 'string') {
    throw new ImageModelError(
      `${source} is not an image config: it needs string "architecture" and "os"`,
    );
  }
  const rootfs = json.rootfs as Partial<RootFs> | undefined;
  if (
    rootfs?.type !== 'layers' ||
    !Array.isArray(rootfs.diff_ids) ||
    !rootfs.diff_ids.every((d) => typeof d === 'string' && isDigest(d))
  ) {
    throw new ImageModelError(
      `${source} has no valid rootfs: expected {"type":"layers","diff_ids":["sha256:..."]}`,
    );
  }
  if (json.variant !== undefined && typeof json.variant !== 'string')
    throw new ImageModelError(`${source} has a non-string variant`);
  return json as unknown as ImageConfig;
}

/** The platform an image config describes (os, architecture, variant, os.version, os.features). */
export function platformOfConfig(config: ImageConfig): OciPlatform {
  return {
    os: config.os,
    architecture: config.architecture,
    ...(config.variant === undefined ? {} : { variant: config.variant }),
    ...(config['os.version'] === undefined ? {} : { 'os.version': config['os.version'] }),
    ...(config['os.features'] === undefined ? {} : { 'os.features': config['os.features'] }),
  };
}
