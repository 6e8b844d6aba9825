import { ImageModelError } from '@crossdock/oci';

/** One entry of a `docker save` archive's manifest.json: paths inside the archive. */
export interface DockerArchiveEntry {
  readonly Config: string;
  readonly RepoTags: readonly string[] | null;
  readonly Layers: readonly string[];
}

/** Parses a docker archive's manifest.json; `source` names it in errors. */
export function parseDockerArchiveManifest(
  bytes: Uint8Array,
  source: string,
): readonly DockerArchiveEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ImageModelError(`${source} is not valid JSON`, { cause: error });
  }
  if (!Array.isArray(json))
    throw new ImageModelError(`${source} is not a JSON array of {Config, RepoTags, Layers}`);
  json.forEach((entry: unknown, i) => {
    const e = entry as Partial<DockerArchiveEntry> | null;
    const ok =
      e !== null &&
      typeof e === 'object' &&
      typeof e.Config === 'string' &&
      Array.isArray(e.Layers) &&
      e.Layers.every((l) => typeof l === 'string') &&
      (e.RepoTags === undefined ||
        e.RepoTags === null ||
        (Array.isArray(e.RepoTags) && e.RepoTags.every((t) => typeof t === 'string')));
    if (!ok)
      throw new ImageModelError(
        `${source} entry ${i} is not {Config: string, RepoTags: string[], Layers: string[]}`,
      );
  });
  return json as DockerArchiveEntry[];
}
