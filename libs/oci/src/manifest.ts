import type { Annotations } from './annotations';
import type { Descriptor } from './descriptor';
import { ImageModelError } from './errors';
import { checkDescriptor, parseJsonObject } from './json';
import { isIndexMediaType, isManifestMediaType } from './media-types';

/** An image manifest (OCI, or Docker schema 2 when read from elsewhere). */
export interface ImageManifest {
  readonly schemaVersion: 2;
  readonly mediaType: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly annotations?: Annotations;
  readonly subject?: Descriptor;
  readonly artifactType?: string;
}

/** An image index (OCI), or a Docker manifest list when read from elsewhere. */
export interface IndexManifest {
  readonly schemaVersion: 2;
  readonly mediaType?: string;
  readonly manifests: readonly Descriptor[];
  readonly annotations?: Annotations;
}

/** Parses and checks an image manifest; `source` names it in errors. */
export function parseImageManifest(bytes: Uint8Array, source: string): ImageManifest {
  const json = parseJsonObject(bytes, source);
  if (json.schemaVersion !== 2)
    throw new ImageModelError(
      `${source} has schemaVersion ${JSON.stringify(json.schemaVersion)}; expected 2`,
    );
  if (typeof json.mediaType !== 'string' || !isManifestMediaType(json.mediaType)) {
    throw new ImageModelError(
      `${source} has mediaType ${JSON.stringify(json.mediaType)}; expected an image manifest media type`,
    );
  }
  checkDescriptor(json.config, `${source} config`);
  if (!Array.isArray(json.layers)) throw new ImageModelError(`${source} has no layers array`);
  json.layers.forEach((layer, i) => checkDescriptor(layer, `${source} layer ${i}`));
  return json as unknown as ImageManifest;
}

/** Parses and checks an image index (or a layout's index.json); `source` names it in errors. */
export function parseIndexManifest(bytes: Uint8Array, source: string): IndexManifest {
  const json = parseJsonObject(bytes, source);
  if (json.schemaVersion !== 2)
    throw new ImageModelError(
      `${source} has schemaVersion ${JSON.stringify(json.schemaVersion)}; expected 2`,
    );
  if (
    json.mediaType !== undefined &&
    (typeof json.mediaType !== 'string' || !isIndexMediaType(json.mediaType))
  ) {
    throw new ImageModelError(
      `${source} has mediaType ${JSON.stringify(json.mediaType)}; expected an image index media type`,
    );
  }
  if (!Array.isArray(json.manifests)) throw new ImageModelError(`${source} has no manifests array`);
  json.manifests.forEach((m, i) => checkDescriptor(m, `${source} manifests[${i}]`));
  return json as unknown as IndexManifest;
}
