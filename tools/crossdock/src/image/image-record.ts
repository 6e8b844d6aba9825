import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { formatPlatform, platformSlug } from '@crossdock/platform';
import type { BuildImageResult } from './build-image';
import { writeFileAtomically } from '../support/files/write-atomically';

/** One platform of an image build, for scripts: digests, sizes and time. */
export interface ImageRecordPlatform {
  readonly platform: string;
  readonly manifestDigest: string;
  /** Size of the host binary; absent for a hermetic build (compiled inside BuildKit). */
  readonly binaryBytes?: number;
  /** Compressed config and layers: what a pull of this platform downloads. */
  readonly imageBytes: number;
  readonly assembleMs: number;
  /** The SPDX document, relative to the workspace root. */
  readonly sbom?: string;
}

/** What an image build produced, as dist/metadata/<project>/image.json records it. */
export interface ImageRecord {
  readonly project: string;
  readonly engine: string;
  readonly base: string;
  readonly indexDigest: string;
  /** The OCI layout, relative to the workspace root. */
  readonly layout: string;
  readonly platforms: readonly ImageRecordPlatform[];
}

/** The record of a build (reads the binaries' sizes). */
export async function imageRecord(
  workspaceRoot: string,
  engine: string,
  built: BuildImageResult,
): Promise<ImageRecord> {
  const platforms: ImageRecordPlatform[] = [];
  for (const entry of built.result.platforms) {
    const planned = built.plan.platforms.find(
      (p) => formatPlatform(p.platform) === formatPlatform(entry.platform),
    );
    const binaryBytes = planned
      ? await stat(planned.binary).then(
          (s) => s.size,
          () => undefined,
        )
      : undefined;
    const sbom = built.sboms[platformSlug(entry.platform)];
    platforms.push({
      platform: formatPlatform(entry.platform),
      manifestDigest: entry.manifestDigest,
      ...(binaryBytes !== undefined ? { binaryBytes } : {}),
      imageBytes: entry.size,
      assembleMs: Math.round(entry.durationMs),
      ...(sbom ? { sbom: relative(workspaceRoot, sbom) } : {}),
    });
  }
  return {
    project: built.plan.project,
    engine,
    base: built.plan.base,
    indexDigest: built.result.indexDigest,
    layout: relative(workspaceRoot, built.layoutDir),
    platforms,
  };
}

/** Writes a record as JSON atomically (a sibling temporary file, then a rename). */
export async function writeRecord(path: string, record: unknown): Promise<void> {
  await writeFileAtomically(path, `${JSON.stringify(record, null, 2)}\n`);
}
