import { Annotation, type Image } from '@crossdock/oci';
import { baseKindOf } from '../../image/base/base-kinds';

/**
 * Repositories of `registry` that hold the images' base layers, from the
 * `org.opencontainers.image.base.name` annotation crossdock writes on each manifest.
 * Pushing to the same registry, those layers are mounted from there instead of uploaded.
 * Bases in a layout, on scratch or on another registry give nothing. Pure.
 */
export function mountSources(images: readonly Image[], registry: string): string[] {
  const repositories = new Set<string>();
  for (const image of images) {
    const name = image.manifest.annotations?.[Annotation.baseName];
    if (name === undefined) continue;
    const repository = baseKindOf(name).mountSource(name, registry);
    if (repository !== undefined) repositories.add(repository);
  }
  return [...repositories];
}
