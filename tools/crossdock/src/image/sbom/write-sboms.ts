import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseGoBuildInfo } from '@crossdock/elf';
import { sha256DigestAsync } from '@crossdock/oci';
import { formatPlatform, platformSlug } from '@crossdock/platform';
import { replaceDirectory } from '@crossdock/oci-layout';
import type { ImagePlan } from '../plan';
import { epochToRfc3339 } from '../plan';
import type { SbomFormat } from '../../options/normalize-options';
import { TOOL_VERSION } from '../../support/tool-version';
import { cycloneDxFromGoBuildInfo } from './cyclonedx';
import { spdxFromGoBuildInfo } from './spdx';

/** The file name of a platform's SPDX SBOM inside dist/sbom/<project>. */
export function sbomFileName(slug: string): string {
  return `${slug}.spdx.json`;
}

/** The file name of a platform's CycloneDX SBOM inside dist/sbom/<project>. */
export function cycloneDxFileName(slug: string): string {
  return `${slug}.cdx.json`;
}

/**
 * Writes the SBOMs of every platform of a plan into `dir` (replaced atomically), from the
 * Go build info embedded in each binary: an SPDX 2.3 document, a CycloneDX 1.6 document,
 * or both (`format`). Returns the first file written per platform slug.
 */
export async function writeSboms(
  dir: string,
  plan: ImagePlan,
  format: SbomFormat = 'spdx',
): Promise<Record<string, string>> {
  const written: Record<string, string> = {};
  await replaceDirectory(dir, async (tmp) => {
    // Platforms side by side: each binary's digest runs on the thread pool.
    const files = await Promise.all(
      plan.platforms.map(async ({ platform, binary }) => {
        const bytes = await readFile(binary);
        const info = parseGoBuildInfo(bytes);
        const subject = {
          project: plan.project,
          platform: formatPlatform(platform),
          binarySha256: (await sha256DigestAsync(bytes)).slice('sha256:'.length),
          created: epochToRfc3339(plan.epoch),
          toolVersion: TOOL_VERSION,
        };
        const slug = platformSlug(platform);
        const documents: [string, unknown][] = [];
        if (format !== 'cyclonedx')
          documents.push([sbomFileName(slug), spdxFromGoBuildInfo(info, subject)]);
        if (format !== 'spdx')
          documents.push([cycloneDxFileName(slug), cycloneDxFromGoBuildInfo(info, subject)]);
        for (const [name, document] of documents)
          await writeFile(join(tmp, name), `${JSON.stringify(document, null, 2)}\n`);
        return [slug, join(dir, documents[0]![0])] as const;
      }),
    );
    for (const [slug, file] of files) written[slug] = file;
  });
  return written;
}
