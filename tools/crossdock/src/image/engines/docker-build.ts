import { join } from 'node:path';
import { formatPlatform, platformSlug, type Platform } from '@crossdock/platform';

/** One single-platform build that leaves a tagged image in the daemon. */
export interface SinglePlatformBuild {
  readonly platform: Platform;
  readonly contextDir: string;
  /** Temporary tag, removed after `docker save`. */
  readonly tag: string;
  /** File docker writes the image ID to. */
  readonly iidFile: string;
}

/** One multi-platform buildx build exported as an OCI layout tar. */
export interface MultiPlatformBuild {
  readonly platforms: readonly Platform[];
  readonly contextDir: string;
  /** The OCI layout tar buildx writes. */
  readonly dest: string;
  /** Pass `--provenance=false --sbom=false` (buildx 0.10+ would add attestation manifests). */
  readonly attestationFlags: boolean;
  /** The builder to build on (`--builder`): the one the probe inspected. */
  readonly builder?: string;
  /**
   * Unix seconds for `created`, history and (with rewriteTimestamp) file times: passed as the
   * SOURCE_DATE_EPOCH build argument, which BuildKit 0.11+ uses for the image's times.
   */
  readonly sourceDateEpoch?: number;
  /** Clamp file times in the new layers to SOURCE_DATE_EPOCH (`rewrite-timestamp=true`, BuildKit 0.13+). */
  readonly rewriteTimestamp?: boolean;
}

/** Flags every build shares: plain progress (readable in logs and errors) and the context's own Dockerfile. */
function commonFlags(contextDir: string): string[] {
  return ['--progress=plain', '--file', join(contextDir, 'Dockerfile')];
}

/** `docker build` for one platform, run with DOCKER_BUILDKIT=1 by a 20.10-era CLI. */
export function buildKitEnvArgs(build: SinglePlatformBuild): string[] {
  return [
    'build',
    '--platform',
    formatPlatform(build.platform),
    ...commonFlags(build.contextDir),
    '--tag',
    build.tag,
    '--iidfile',
    build.iidFile,
    build.contextDir,
  ];
}

/** `docker buildx build --load` for one platform (buildx with the docker driver). */
export function buildxLoadArgs(
  build: SinglePlatformBuild & { readonly attestationFlags: boolean },
): string[] {
  return [
    'buildx',
    'build',
    '--platform',
    formatPlatform(build.platform),
    ...commonFlags(build.contextDir),
    ...(build.attestationFlags ? ['--provenance=false', '--sbom=false'] : []),
    '--load',
    '--tag',
    build.tag,
    '--iidfile',
    build.iidFile,
    build.contextDir,
  ];
}

/** `docker buildx build` of every platform at once into an OCI layout tar. */
export function buildxOciArgs(build: MultiPlatformBuild): string[] {
  return [
    'buildx',
    'build',
    '--platform',
    build.platforms.map(formatPlatform).join(','),
    ...commonFlags(build.contextDir),
    ...(build.builder !== undefined ? ['--builder', build.builder] : []),
    ...(build.attestationFlags ? ['--provenance=false', '--sbom=false'] : []),
    ...(build.sourceDateEpoch !== undefined
      ? ['--build-arg', `SOURCE_DATE_EPOCH=${build.sourceDateEpoch}`]
      : []),
    '--output',
    `type=oci,dest=${build.dest}${build.rewriteTimestamp ? ',rewrite-timestamp=true' : ''}`,
    build.contextDir,
  ];
}

/** `docker rmi` of the temporary tags (the images go with them unless something else uses them). */
export function removeTagsArgs(tags: readonly string[]): string[] {
  return ['rmi', ...tags];
}

/**
 * A temporary tag for one platform's image: `crossdock-tmp/<project>:<platform slug>-<nonce>`,
 * the project name lower-cased to a valid repository path, the nonce keeping concurrent
 * builds of one project apart.
 */
export function temporaryTag(project: string, platform: Platform, nonce: string): string {
  const repository =
    project
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'project';
  return `crossdock-tmp/${repository}:${platformSlug(platform)}-${nonce}`;
}
