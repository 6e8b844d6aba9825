import type { Image } from '@crossdock/oci';
import { describeImageFiles, type ImageFileInfo } from './image-files';

/** What two engines must agree on for one platform: the config fields a container sees, and the platform. */
export interface ComparableConfig {
  readonly os: string;
  readonly architecture: string;
  readonly variant: string;
  readonly Entrypoint: readonly string[];
  readonly Cmd: readonly string[];
  readonly User: string;
  readonly WorkingDir: string;
  readonly Env: readonly string[];
  readonly ExposedPorts: readonly string[];
  readonly Labels: Readonly<Record<string, string>>;
}

/** One image reduced to what must match across engines: its files (no mtimes) and its config. */
export interface ImageDescription {
  readonly files: readonly ImageFileInfo[];
  readonly config: ComparableConfig;
}

/**
 * The comparable config of an image. Absent and empty mean the same (a `null` Cmd, an
 * unset WorkingDir, no labels), as they do to a container runtime.
 */
export function comparableConfig(image: Image): ComparableConfig {
  const c = image.config.config ?? {};
  return {
    os: image.config.os,
    architecture: image.config.architecture,
    variant: image.config.variant ?? '',
    Entrypoint: [...(c.Entrypoint ?? [])],
    Cmd: [...(c.Cmd ?? [])],
    User: c.User ?? '',
    WorkingDir: c.WorkingDir ?? '',
    Env: [...(c.Env ?? [])],
    ExposedPorts: Object.keys(c.ExposedPorts ?? {}).sort(),
    Labels: { ...(c.Labels ?? {}) },
  };
}

/** Reads an image's files and config into a description that can be compared and kept after the image's files are gone. */
export async function describeImage(image: Image): Promise<ImageDescription> {
  return { files: await describeImageFiles(image), config: comparableConfig(image) };
}

/** How a file is shown in a difference: `file 0644 0:0 1234 B`, `symlink -> target`. */
export function formatFileInfo(file: ImageFileInfo): string {
  const link = file.linkTarget === undefined ? '' : ` -> ${file.linkTarget}`;
  const size = file.type === 'file' ? ` ${file.size} B` : '';
  return `${file.type} ${file.mode.toString(8).padStart(4, '0')} ${file.uid}:${file.gid}${size}${link}`;
}

/**
 * The differences between two image descriptions, one readable line each (empty when they
 * match): paths only in one, paths whose type, mode, owner, size or link differ, and config
 * fields that differ. `names` label the two sides, e.g. `['builtin', 'docker']`.
 */
export function compareDescriptions(
  a: ImageDescription,
  b: ImageDescription,
  names: readonly [string, string] = ['a', 'b'],
): string[] {
  const [nameA, nameB] = names;
  const differences: string[] = [];
  const filesA = new Map(a.files.map((f) => [f.path, f]));
  const filesB = new Map(b.files.map((f) => [f.path, f]));
  const paths = [...new Set([...filesA.keys(), ...filesB.keys()])].sort();
  for (const path of paths) {
    const fa = filesA.get(path);
    const fb = filesB.get(path);
    if (fa === undefined) differences.push(`/${path}: only in ${nameB} (${formatFileInfo(fb!)})`);
    else if (fb === undefined)
      differences.push(`/${path}: only in ${nameA} (${formatFileInfo(fa)})`);
    else if (formatFileInfo(fa) !== formatFileInfo(fb))
      differences.push(`/${path}: ${nameA} ${formatFileInfo(fa)}, ${nameB} ${formatFileInfo(fb)}`);
  }
  for (const key of Object.keys(a.config) as (keyof ComparableConfig)[]) {
    const va = JSON.stringify(sortedKeys(a.config[key]));
    const vb = JSON.stringify(sortedKeys(b.config[key]));
    if (va !== vb) differences.push(`config ${key}: ${nameA} ${va}, ${nameB} ${vb}`);
  }
  return differences;
}

/** Compares two images (see {@link compareDescriptions}). */
export async function compareImages(
  a: Image,
  b: Image,
  names: readonly [string, string] = ['a', 'b'],
): Promise<string[]> {
  return compareDescriptions(await describeImage(a), await describeImage(b), names);
}

function sortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).sort(([x], [y]) =>
      x < y ? -1 : x > y ? 1 : 0,
    ),
  );
}
