import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { downloadLine, watchDownload, ZIG_WHEEL_BYTES } from '../../src/cgo/download-progress';
import { zigLibcMarker } from '../../src/cgo/zig-libc';

// The progress of the two long first-run steps of a cgo build: the zig download (how far)
// and zig's C library per target (the marker that says it was built).
describe('download progress', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-download-progress-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says how many MB of how many, capped at the total', () => {
    expect(downloadLine('ziglang 0.17.0', 45_200_000, ZIG_WHEEL_BYTES['x64'])).toBe(
      'downloading ziglang 0.17.0: 45.2 of 101.0 MB (44 %)',
    );
    expect(downloadLine('x', 300, 200)).toBe('downloading x: 0.0 of 0.0 MB (100 %)');
    expect(downloadLine('x', 2_500_000, undefined)).toBe('downloading x: 2.5 MB');
  });

  it('prints a line when the folder grew, counting files in subfolders', async () => {
    const lines: string[] = [];
    const stop = watchDownload({
      dir,
      label: 'test',
      totalBytes: 4_000_000,
      progress: (line) => lines.push(line),
      intervalMs: 20,
    });
    writeFileSync(join(dir, 'part'), Buffer.alloc(1_000_000));
    await new Promise((resolve) => setTimeout(resolve, 200));
    stop();
    expect(lines).toEqual(['downloading test: 1.0 of 4.0 MB (25 %)']);
  });

  it("names zig's version and the whole target in the C library's marker", () => {
    const zig = { path: '/z/zig', version: '0.17.0', source: 'cache' as const };
    const arm = zigLibcMarker('/c', zig, ['-target', 'arm-linux-musleabihf', '-mcpu=generic+v7a']);
    const arm64 = zigLibcMarker('/c', zig, ['-target', 'aarch64-linux-musl']);
    expect(arm).toBe(
      '/c/zig-cache/crossdock-libc/zig-0.17.0-target_arm-linux-musleabihf_-mcpu=generic+v7a.built',
    );
    expect(arm64).not.toBe(arm);
  });
});
