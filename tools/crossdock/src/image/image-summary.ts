import { formatBytes, formatDuration, formatTable } from '../support/report/format';
import type { ImageRecord } from './image-record';

/** The summary table printed at the end of an image build: platform, binary size, image size, time, manifest digest. */
export function imageSummary(record: ImageRecord): string {
  const rows = record.platforms.map((p) => [
    p.platform,
    p.binaryBytes === undefined ? '-' : formatBytes(p.binaryBytes),
    formatBytes(p.imageBytes),
    formatDuration(p.assembleMs),
    p.manifestDigest,
  ]);
  return [
    `${record.project}: ${rows.length} platform(s) on ${record.base} (${record.engine} engine), index ${record.indexDigest}`,
    formatTable(['platform', 'binary', 'image', 'time', 'manifest digest'], rows),
    `OCI layout: ${record.layout}`,
  ].join('\n');
}
