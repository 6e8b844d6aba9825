import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import {
  isIndexMediaType,
  isManifestMediaType,
  parseIndexManifest,
  readTarFileData,
  readTarFileIndex,
  type Descriptor,
  type Image,
} from '@crossdock/oci';
import { readOciLayout } from '@crossdock/oci-layout';
import {
  findPlatform,
  formatPlatform,
  normalizePlatform,
  type Platform,
} from '@crossdock/platform';

/**
 * Unpacks an OCI layout tar (what `docker buildx build --output type=oci,dest=X` writes)
 * into `dir`: regular files and directories only; names that would leave `dir` are refused.
 */
export async function extractOciArchive(tarPath: string, dir: string): Promise<void> {
  const entries = await readTarFileIndex(tarPath);
  for (const entry of entries) {
    const name = normalize(entry.name.replace(/^(\.\/)+/, '').replace(/^\/+/, ''));
    if (name === '.' || name === '') continue;
    if (name === '..' || name.startsWith(`..${sep}`))
      throw new Error(`${tarPath}: entry "${entry.name}" points outside the layout`);
    const target = join(dir, name);
    if (entry.type === 'dir') await mkdir(target, { recursive: true });
    else if (entry.type === 'file') {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, await readTarFileData(tarPath, entry));
    }
  }
}

/** Whether a descriptor is an attestation (provenance, SBOM) rather than a platform's image. */
function isAttestation(descriptor: Descriptor): boolean {
  return (
    descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
    descriptor.platform?.os === 'unknown'
  );
}

/**
 * The images of an OCI layout directory, one per wanted platform in the wanted order:
 * index.json may list the image manifests or one image index (buildx does either); attestation
 * manifests are skipped. Throws naming the platforms missing from the layout.
 */
export async function imagesForPlatforms(
  dir: string,
  wanted: readonly Platform[],
): Promise<Image[]> {
  const layout = await readOciLayout(dir);
  const top = await layout.index();
  const candidates: Descriptor[] = [];
  for (const descriptor of top.manifests) {
    if (isManifestMediaType(descriptor.mediaType)) candidates.push(descriptor);
    else if (isIndexMediaType(descriptor.mediaType)) {
      const nested = parseIndexManifest(
        await layout.blob(descriptor),
        `index ${descriptor.digest}`,
      );
      candidates.push(...nested.manifests.filter((d) => isManifestMediaType(d.mediaType)));
    }
  }
  const images: { platform: Platform; image: Image }[] = [];
  for (const descriptor of candidates.filter((d) => !isAttestation(d))) {
    const image = await layout.image(descriptor);
    const { os, architecture, variant } = descriptor.platform ?? image.config;
    images.push({
      platform: normalizePlatform({ os, architecture, ...(variant ? { variant } : {}) }),
      image,
    });
  }
  const at = wanted.map((p) => findPlatform(p, images, (i) => i.platform));
  const missing = wanted.filter((_, n) => at[n]! < 0);
  if (missing.length > 0) {
    const have = images.map((i) => formatPlatform(i.platform)).join(', ') || 'none';
    throw new Error(
      `the OCI layout from buildx has no image for ${missing.map(formatPlatform).join(', ')} (it has: ${have})`,
    );
  }
  return at.map((n) => images[n]!.image);
}
