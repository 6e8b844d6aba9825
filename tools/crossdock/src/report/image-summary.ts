import { stat } from 'node:fs/promises';
import { formatPlatform } from '@crossdock/platform';
import type { BuildImageResult } from '../image/build-image';
import { formatBytes, formatTable } from './format';

/** The summary table printed at the end of an image build: platform, binary size, image size, manifest digest. */
export async function imageSummary(project: string, built: BuildImageResult): Promise<string> {
  const rows: string[][] = [];
  for (const entry of built.result.platforms) {
    const planned = built.plan.platforms.find((p) => formatPlatform(p.platform) === formatPlatform(entry.platform));
    // A hermetic build compiles inside BuildKit: there is no host binary to measure.
    const binarySize = planned ? await stat(planned.binary).then((s) => s.size, () => undefined) : undefined;
    rows.push([formatPlatform(entry.platform), binarySize === undefined ? '-' : formatBytes(binarySize), formatBytes(entry.size), entry.manifestDigest]);
  }
  return [
    `${project}: ${rows.length} platform(s), index ${built.result.indexDigest}`,
    formatTable(['platform', 'binary', 'image', 'manifest digest'], rows),
    `OCI layout: ${built.layoutDir}`,
  ].join('\n');
}
