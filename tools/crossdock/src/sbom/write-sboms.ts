import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseGoBuildInfo } from '@crossdock/elf';
import { formatPlatform, platformSlug } from '@crossdock/platform';
import { replaceDirectory } from '@crossdock/oci';
import type { ImagePlan } from '../image/plan';
import { epochToRfc3339 } from '../image/make-plan';
import { spdxFromGoBuildInfo } from './spdx';
import { TOOL_VERSION } from '../provenance/tool-version';

/** The file name of a platform's SBOM inside dist/sbom/<project>. */
export function sbomFileName(slug: string): string {
  return `${slug}.spdx.json`;
}


/**
 * Writes one SPDX 2.3 document per platform of a plan into `dir` (replaced atomically),
 * from the Go build info embedded in each binary. Returns the files written, by slug.
 */
export async function writeSboms(dir: string, plan: ImagePlan): Promise<Record<string, string>> {
  const written: Record<string, string> = {};
  await replaceDirectory(dir, async (tmp) => {
    for (const { platform, binary } of plan.platforms) {
      const bytes = await readFile(binary);
      const document = spdxFromGoBuildInfo(parseGoBuildInfo(bytes), {
        project: plan.project,
        platform: formatPlatform(platform),
        binarySha256: createHash('sha256').update(bytes).digest('hex'),
        created: epochToRfc3339(plan.epoch),
        toolVersion: TOOL_VERSION,
      });
      const name = sbomFileName(platformSlug(platform));
      await writeFile(join(tmp, name), `${JSON.stringify(document, null, 2)}\n`);
      written[platformSlug(platform)] = join(dir, name);
    }
  });
  return written;
}
