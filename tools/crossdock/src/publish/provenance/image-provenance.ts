import { parseGoBuildInfo, type GoBuildInfo, type GoModuleInfo } from '@crossdock/elf';
import { Annotation, sha256Digest, type Image } from '@crossdock/oci';
import { formatPlatform } from '@crossdock/platform';
import type { CrossdockOptions } from '../../options/normalize-options';
import { readImageFile } from '@crossdock/oci-layout';
import type { GoInputs, ProvenanceInput } from './slsa-provenance';

/**
 * The module list of a binary as one text, whose sha256 the provenance records: one line
 * per dependency module, `path version[ sum]`, with ` => path version[ sum]` for a
 * replacement, in build-info order (the Go linker sorts them). Pure.
 */
export function moduleListText(deps: readonly GoModuleInfo[]): string {
  const one = (module: GoModuleInfo) =>
    [module.path, module.version, ...(module.sum ? [module.sum] : [])].join(' ');
  return deps.map((dep) => `${one(dep)}${dep.replace ? ` => ${one(dep.replace)}` : ''}\n`).join('');
}

/** The Go inputs recorded in provenance, from a binary's build info. Pure. */
export function goInputsOf(info: GoBuildInfo): GoInputs {
  return {
    version: info.goVersion,
    moduleListDigest: sha256Digest(moduleListText(info.deps)),
    modules: info.deps.length,
  };
}

/** The options as provenance records them: JSON values, platforms as strings, without signKey (not a build input). Pure. */
export function provenanceOptions(options: CrossdockOptions): Record<string, unknown> {
  const { signKey: _signKey, platforms, ...rest } = options;
  return { platforms: platforms.map(formatPlatform), ...rest };
}

/**
 * The provenance inputs of one platform's image as it will be pushed: source and revision
 * from the manifest annotations crossdock wrote, the base and its digest, and the Go
 * version and module list read from the binary inside the image itself.
 */
export async function imageProvenanceInput(request: {
  readonly image: Image;
  readonly subjectName: string;
  readonly project: string;
  readonly platform: string;
  readonly options: CrossdockOptions;
}): Promise<ProvenanceInput> {
  const { image, options } = request;
  // The source URL is a config label only; the revision and base are annotations too.
  const annotations = {
    ...(image.config.config?.Labels ?? {}),
    ...(image.manifest.annotations ?? {}),
  };
  const binary = await readImageFile(image, `usr/local/bin/${options.binary}`);
  return {
    subjectName: request.subjectName,
    subjectDigest: image.digest,
    project: request.project,
    platform: request.platform,
    ...annotationInputs(annotations),
    ...(binary !== undefined ? { go: goInputsOf(parseGoBuildInfo(binary)) } : {}),
    options: provenanceOptions(options),
  };
}

/** Source, revision and base of a manifest's or index's annotations. Pure. */
export function annotationInputs(
  annotations: Readonly<Record<string, string>>,
): Pick<ProvenanceInput, 'source' | 'revision' | 'base'> {
  const baseName = annotations[Annotation.baseName];
  const baseDigest = annotations[Annotation.baseDigest];
  return {
    ...(annotations[Annotation.source] ? { source: annotations[Annotation.source] } : {}),
    ...(annotations[Annotation.revision] ? { revision: annotations[Annotation.revision] } : {}),
    ...(baseName
      ? { base: { name: baseName, ...(baseDigest ? { digest: baseDigest } : {}) } }
      : {}),
  };
}
