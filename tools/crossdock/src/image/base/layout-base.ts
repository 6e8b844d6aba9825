import { OciError, type ImageIndex } from '@crossdock/oci';
import { readOciLayout } from '@crossdock/oci-layout';
import type { Platform } from '@crossdock/platform';
import { BaseImageError } from './base-error';
import { layoutBaseDir } from './kinds/layout';
import { baseFromImages } from './image-base';
import type { ResolvedBase } from './resolved-base';
import { selectBaseManifests } from './select-manifests';

/**
 * Resolves an `oci:<path>` base: the image index its index.json points at, and for each
 * platform the matching image. Layers are read from the layout only when opened, and each
 * read is checked against its digest. `from` pins the index digest.
 */
export async function resolveLayoutBase(
  reference: string,
  platforms: readonly Platform[],
  context: { readonly workspaceRoot: string; readonly project: string },
): Promise<ResolvedBase> {
  const dir = layoutBaseDir(reference, context.workspaceRoot);
  let index: ImageIndex;
  try {
    index = await (await readOciLayout(dir)).resolveIndex();
  } catch (error) {
    if (error instanceof OciError) {
      throw new BaseImageError(
        context.project,
        reference,
        `cannot read the OCI layout ${dir}: ${error.message}`,
        { cause: error },
      );
    }
    throw error;
  }
  const chosen = selectBaseManifests(
    { project: context.project, base: reference },
    platforms,
    index.manifests,
  );
  return baseFromImages({
    name: reference,
    digest: index.digest,
    from: `${reference}@${index.digest}`,
    platforms,
    images: chosen.map((i) => index.images[i]!),
  });
}
