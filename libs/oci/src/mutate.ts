import type { Annotations } from './annotations';
import { type ContainerConfig, EPOCH, type HistoryEntry, type ImageConfig } from './config';
import { ImageModelError } from './errors';
import { type Image, imageFromParts } from './image';
import type { Layer } from './layer';

/** A layer to append together with the history entry that describes it. */
export interface LayerAddendum {
  readonly layer: Layer;
  readonly history?: HistoryEntry;
}

/**
 * Changes to an image config: top-level fields replace the old ones; `config` members
 * replace the old members one by one (a member given as `undefined` is removed).
 */
export interface ImageConfigPatch {
  readonly created?: string;
  readonly author?: string;
  readonly architecture?: string;
  readonly os?: string;
  readonly variant?: string;
  readonly 'os.version'?: string;
  readonly config?: Partial<ContainerConfig>;
}

const PATCH_KEYS: ReadonlySet<string> = new Set([
  'created',
  'author',
  'architecture',
  'os',
  'variant',
  'os.version',
  'config',
]);
const CONTAINER_KEYS: ReadonlySet<string> = new Set([
  'User',
  'Env',
  'Entrypoint',
  'Cmd',
  'WorkingDir',
  'Labels',
  'ExposedPorts',
  'Volumes',
  'StopSignal',
]);

/** A new image: `image` with `layer` on top and a history entry for it (default: created_by "crossdock"). */
export function withLayer(image: Image, layer: Layer, history?: HistoryEntry): Image {
  return withLayers(image, [history === undefined ? { layer } : { layer, history }]);
}

/**
 * A new image: `image` with the layers appended in order, each with a history entry
 * (its own, or `{created: <config.created or epoch>, created_by: "crossdock"}`).
 */
export function withLayers(image: Image, layers: readonly (Layer | LayerAddendum)[]): Image {
  const addenda = layers.map((l): LayerAddendum => ('layer' in l ? l : { layer: l }));
  const created = image.config.created ?? EPOCH;
  const history = [
    ...(image.config.history ?? []),
    ...addenda.map((a) => a.history ?? { created, created_by: 'crossdock' }),
  ];
  const { rootfs: _replaced, ...config } = image.config;
  return imageFromParts({
    config: { ...config, history },
    layers: [...image.layers, ...addenda.map((a) => a.layer)],
    ...annotationsOf(image),
  });
}

/** A new image with its config changed by `patch` (see {@link ImageConfigPatch}); layers are shared. */
export function withConfig(image: Image, patch: ImageConfigPatch): Image {
  const unknown = Object.keys(patch).filter((k) => !PATCH_KEYS.has(k));
  if (unknown.length > 0)
    throw new ImageModelError(
      `withConfig: unknown key(s) ${unknown.join(', ')}; valid keys are ${[...PATCH_KEYS].join(', ')}`,
    );
  const unknownConfig = Object.keys(patch.config ?? {}).filter((k) => !CONTAINER_KEYS.has(k));
  if (unknownConfig.length > 0) {
    throw new ImageModelError(
      `withConfig: unknown config key(s) ${unknownConfig.join(', ')}; valid keys are ${[...CONTAINER_KEYS].join(', ')}`,
    );
  }
  const { config: containerPatch, ...top } = patch;
  const container: Record<string, unknown> = { ...(image.config.config ?? {}) };
  for (const [key, value] of Object.entries(containerPatch ?? {})) {
    if (value === undefined) delete container[key];
    else container[key] = value;
  }
  const config: ImageConfig = {
    ...image.config,
    ...dropUndefined(top),
    config: container as ContainerConfig,
  };
  return imageFromParts({ config, layers: image.layers, ...annotationsOf(image) });
}

/** A new image with `annotations` merged into its manifest annotations (a value of `undefined` removes a key). */
export function withAnnotations(
  image: Image,
  annotations: Readonly<Record<string, string | undefined>>,
): Image {
  const merged: Record<string, string> = { ...(image.manifest.annotations ?? {}) };
  for (const [key, value] of Object.entries(annotations)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return imageFromParts({ config: image.config, layers: image.layers, annotations: merged });
}

function annotationsOf(image: Image): { annotations?: Annotations } {
  return image.manifest.annotations === undefined
    ? {}
    : { annotations: image.manifest.annotations };
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
