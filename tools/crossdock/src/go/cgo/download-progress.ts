import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Sizes in bytes of the pinned ziglang wheels (PyPI's listing of ziglang==0.17.0), by Node's
 * name of the host architecture: the "of N MB" of the download's progress lines.
 */
export const ZIG_WHEEL_BYTES: Readonly<Record<string, number>> = Object.freeze({
  x64: 101_011_302,
  arm64: 97_992_724,
});

/** Options of watchDownload. */
export interface WatchDownloadOptions {
  /** The folder the download is written into (the downloader's temporary folder included). */
  readonly dir: string;
  /** What is downloaded, for the lines: `ziglang 0.17.0`. */
  readonly label: string;
  /** The expected size, when known. */
  readonly totalBytes: number | undefined;
  readonly progress: (line: string) => void;
  /** How often to look; a line is printed only when the size moved. Default 3 s. */
  readonly intervalMs?: number;
}

/**
 * Reports how far a download is by polling the size of the folder it writes into (pip prints
 * nothing useful when its output is not a terminal). Returns the function that stops it.
 */
export function watchDownload(options: WatchDownloadOptions): () => void {
  let last = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    folderBytes(options.dir)
      .then((bytes) => {
        if (bytes <= last) return;
        last = bytes;
        options.progress(downloadLine(options.label, bytes, options.totalBytes));
      })
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, options.intervalMs ?? 3000);
  timer.unref();
  return () => clearInterval(timer);
}

/** One progress line: `downloading ziglang 0.17.0: 45.2 of 101.0 MB (45 %)`. */
export function downloadLine(label: string, bytes: number, total: number | undefined): string {
  const mb = (n: number) => (n / 1e6).toFixed(1);
  if (total === undefined || total <= 0) return `downloading ${label}: ${mb(bytes)} MB`;
  const shown = Math.min(bytes, total);
  return `downloading ${label}: ${mb(shown)} of ${mb(total)} MB (${Math.floor((shown / total) * 100)} %)`;
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(path);
    else if (entry.isFile()) total += (await stat(path).catch(() => ({ size: 0 }))).size;
  }
  return total;
}
