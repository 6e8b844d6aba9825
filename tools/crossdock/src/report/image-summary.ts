import { stat } from 'node:fs/promises';
import { formatPlatform } from '@crossdock/platform';
import type { BuildImageResult } from '../image/build-image';
import { formatBytes, formatTable } from './format';

/** The summary table printed at the end of an image build: platform, binary size, image size, manifest digest. */
export async function imageSummary(project: string, built: BuildImageResult): Promise<string> {
  const rows: string[][] = [];
  for (const entry of built.result.platforms) {
    const planned = built.plan.platforms.find((p) => formatPlatform(p.platform) === formatPlatform(entry.platform));
    const binarySize = planned ? (await stat(planned.binary)).size : 0;
    rows.push([formatPlatform(entry.platform), formatBytes(binarySize), formatBytes(entry.size), entry.manifestDigest]);
  }
  return [
    `${project}: ${rows.length} platform(s), index ${built.result.indexDigest}`,
    formatTable(['platform', 'binary', 'image', 'manifest digest'], rows),
    `OCI layout: ${built.layoutDir}`,
  ].join('\n');
}
