import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJsonBytes, MediaType, sha256Digest, type Descriptor } from '@crossdock/oci';
import {
  formatPlatform,
  normalizePlatform,
  platformMatches,
  platformSlug,
  type Platform,
} from '@crossdock/platform';
import { cycloneDxFileName, sbomFileName } from '../../image/sbom/write-sboms';
import { readProjectIndex, type PushLayoutRequest } from './push-layout';

/** One SBOM attached to a platform's manifest. */
export interface AttachedSbom {
  readonly platform: string;
  /** Digest of the SBOM artifact manifest. */
  readonly digest: string;
  /** Digest of the image manifest it refers to (its `subject`). */
  readonly subject: string;
  /** `SPDX` or `CycloneDX`. */
  readonly format: string;
}

/** The SBOM documents push looks for beside the layout: file name per slug, artifact media type, label. */
const SBOM_KINDS = [
  { file: sbomFileName, mediaType: MediaType.spdxJson, label: 'SPDX', suffix: 'spdx.json' },
  {
    file: cycloneDxFileName,
    mediaType: MediaType.cyclonedxJson,
    label: 'CycloneDX',
    suffix: 'cdx.json',
  },
] as const;

const EMPTY_CONFIG = new TextEncoder().encode('{}');

/**
 * Attaches each platform's SBOM documents (SPDX and/or CycloneDX, whichever the image
 * target wrote into `sbomDir`, per the sbomFormat option) to its image manifest in the
 * registry as an OCI artifact whose `subject` is that manifest: the referrers API finds
 * it, and on registries without that API the client keeps the referrers tag
 * (`sha256-<hex>`) up to date. The artifact is deterministic, so a re-push changes nothing.
 * `only` limits it to one platform (a by-digest push). Platforms without an SBOM file are skipped.
 */
export async function attachSboms(
  request: PushLayoutRequest,
  sbomDir: string,
  only?: Platform,
): Promise<AttachedSbom[]> {
  const index = await readProjectIndex(request.workspaceRoot, request.project, request.layoutDir);
  const attached: AttachedSbom[] = [];
  for (const descriptor of index.manifests) {
    if (!descriptor.platform) continue;
    const platform = normalizePlatform(descriptor.platform as Platform);
    if (only && !platformMatches(only, platform)) continue;
    for (const kind of SBOM_KINDS) {
      const file = join(sbomDir, kind.file(platformSlug(platform)));
      const present = await access(file).then(
        () => true,
        () => false,
      );
      if (!present) continue;
      const subject = {
        mediaType: descriptor.mediaType,
        digest: descriptor.digest,
        size: descriptor.size,
      };
      const digest = await attachSbom(
        request,
        subject,
        await readFile(file),
        kind.mediaType,
        `${request.project}-${platformSlug(platform)}.${kind.suffix}`,
      );
      attached.push({
        platform: formatPlatform(platform),
        digest,
        subject: descriptor.digest,
        format: kind.label,
      });
    }
  }
  return attached;
}

/** Pushes one SBOM artifact (empty config, the document as its one layer, `subject` = the image manifest). */
async function attachSbom(
  request: PushLayoutRequest,
  subject: Descriptor,
  sbom: Uint8Array,
  mediaType: string,
  title: string,
): Promise<string> {
  const { client, repository } = request;
  const config: Descriptor = {
    mediaType: MediaType.ociEmpty,
    digest: sha256Digest(EMPTY_CONFIG),
    size: EMPTY_CONFIG.byteLength,
  };
  const layer: Descriptor = {
    mediaType,
    digest: sha256Digest(sbom),
    size: sbom.byteLength,
    annotations: { 'org.opencontainers.image.title': title },
  };
  const parsed = JSON.parse(Buffer.from(sbom).toString('utf8')) as {
    creationInfo?: { created?: string };
    metadata?: { timestamp?: string };
  };
  const created = parsed.creationInfo?.created ?? parsed.metadata?.timestamp;
  const manifest = canonicalJsonBytes({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: mediaType,
    config,
    layers: [layer],
    subject,
    ...(created ? { annotations: { 'org.opencontainers.image.created': created } } : {}),
  });
  await client.pushBlob(repository, { descriptor: config, open: async () => EMPTY_CONFIG });
  await client.pushBlob(repository, { descriptor: layer, open: async () => sbom });
  return client.pushManifest(repository, sha256Digest(manifest), manifest, MediaType.ociManifest);
}
