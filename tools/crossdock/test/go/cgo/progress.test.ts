import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  downloadLine,
  watchDownload,
  ZIG_WHEEL_BYTES,
} from '../../../src/go/cgo/download-progress';
import { parsePlatform } from '@crossdock/platform';
import { withCBuildProgress, zigLibcMarker } from '../../../src/go/cgo/zig-libc';

// The progress of the two long first-run steps of a cgo build: the zig download (how far)
// and a cgo build with zig (zig's C library for a new target announced, a tick while it runs).
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

  it('announces the C library before the first cgo build of a target, ticks, then marks it built', async () => {
    const cc = '/z/zig-0.17.0/zig cc -target aarch64-linux-musl';
    const lines: string[] = [];
    const options = {
      cc,
      platform: parsePlatform('linux/arm64'),
      libc: 'musl' as const,
      cacheRoot: dir,
      progress: (line: string) => lines.push(line),
      tickMs: 20,
    };
    const build = () => new Promise<string>((resolve) => setTimeout(() => resolve('ok'), 120));
    expect(await withCBuildProgress(options, build)).toBe('ok');
    expect(lines[0]).toBe(
      'linux/arm64: compiling Go and C (cgo, zig aarch64-linux-musl); zig first builds its musl C library for aarch64-linux-musl (once per target and zig version: about a minute of CPU)',
    );
    expect(lines.slice(1).length).toBeGreaterThan(0);
    for (const line of lines.slice(1))
      expect(line).toMatch(
        /^linux\/arm64: still compiling \(cgo, zig aarch64-linux-musl\): .* so far$/,
      );
    expect(existsSync(zigLibcMarker(dir, cc))).toBe(true);
    expect(zigLibcMarker(dir, `${cc} -mcpu=x`)).not.toBe(zigLibcMarker(dir, cc));
    lines.length = 0;
    await withCBuildProgress({ ...options, tickMs: 10_000 }, async () => 'again');
    expect(lines).toEqual(['linux/arm64: compiling Go and C (cgo, zig aarch64-linux-musl)']);
  });

  it('writes no marker when the build fails', async () => {
    const cc = 'zig cc -target riscv64-linux-musl';
    const failing = withCBuildProgress(
      {
        cc,
        platform: parsePlatform('linux/riscv64'),
        libc: 'musl',
        cacheRoot: dir,
        progress: () => undefined,
      },
      () => Promise.reject(new Error('link failed')),
    );
    await expect(failing).rejects.toThrow('link failed');
    expect(existsSync(zigLibcMarker(dir, cc))).toBe(false);
  });
});
