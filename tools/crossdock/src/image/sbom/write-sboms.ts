import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ElfFormatError,
  parseGoBuildInfo,
  readGoBuildInfo,
  type GoBuildInfo,
} from '@crossdock/elf';
import { digestFile } from '@crossdock/oci';
import { formatPlatform, platformSlug, type Platform } from '@crossdock/platform';
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

/** One platform's SBOM documents, rendered: file names in dist/sbom/<project> and their text. */
export interface PlatformSboms {
  readonly slug: string;
  readonly files: readonly { readonly name: string; readonly text: string }[];
}

/**
 * The SBOMs of every platform of a plan, from the Go build info embedded in each binary: an
 * SPDX 2.3 document, a CycloneDX 1.6 document, or both (`format`). Nothing is written: the
 * image pipeline renders them while the layers compress and writes them once the images exist.
 */
export async function renderSboms(
  plan: ImagePlan,
  format: SbomFormat = 'spdx',
  binaryOf?: (platform: Platform) => Promise<Uint8Array>,
): Promise<PlatformSboms[]> {
  // Platforms side by side, each once its binary is there.
  return Promise.all(
    plan.platforms.map(async ({ platform, binary }) => {
      const { info, sha256 } = binaryOf
        ? buildFacts(await binaryOf(platform), binary)
        : await readBuildFacts(binary);
      const subject = {
        project: plan.project,
        platform: formatPlatform(platform),
        binarySha256: sha256,
        created: epochToRfc3339(plan.epoch),
        toolVersion: TOOL_VERSION,
      };
      const slug = platformSlug(platform);
      const documents: [string, unknown][] = [];
      if (format !== 'cyclonedx')
        documents.push([sbomFileName(slug), spdxFromGoBuildInfo(info, subject)]);
      if (format !== 'spdx')
        documents.push([cycloneDxFileName(slug), cycloneDxFromGoBuildInfo(info, subject)]);
      const files = documents.map(([name, document]) => ({
        name,
        text: `${JSON.stringify(document, null, 2)}\n`,
      }));
      return { slug, files };
    }),
  );
}

/** What an SBOM takes from a binary in memory (read from `path`): its Go build info and its sha256 (hex). */
function buildFacts(bytes: Uint8Array, path: string): { info: GoBuildInfo; sha256: string } {
  let info: GoBuildInfo;
  try {
    info = parseGoBuildInfo(bytes);
  } catch (error) {
    throw error instanceof ElfFormatError ? error.inFile(path) : error;
  }
  return { info, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The same from the file: the build info from the data segment's first 64 KiB, the digest streamed. */
async function readBuildFacts(path: string): Promise<{ info: GoBuildInfo; sha256: string }> {
  const [info, { digest }] = await Promise.all([readGoBuildInfo(path), digestFile(path, false)]);
  return { info, sha256: digest.slice('sha256:'.length) };
}

/**
 * Writes rendered SBOMs into `dir` (replaced atomically). Returns the first file of each
 * platform slug (the SPDX one when there are both).
 */
export async function writeRenderedSboms(
  dir: string,
  sboms: readonly PlatformSboms[],
): Promise<Record<string, string>> {
  await replaceDirectory(dir, async (tmp) => {
    await Promise.all(
      sboms.flatMap(({ files }) => files.map(({ name, text }) => writeFile(join(tmp, name), text))),
    );
  });
  return Object.fromEntries(sboms.map(({ slug, files }) => [slug, join(dir, files[0]!.name)]));
}

/** Renders and writes the SBOMs of every platform of a plan into `dir` (see renderSboms). */
export async function writeSboms(
  dir: string,
  plan: ImagePlan,
  format: SbomFormat = 'spdx',
): Promise<Record<string, string>> {
  return writeRenderedSboms(dir, await renderSboms(plan, format));
}
