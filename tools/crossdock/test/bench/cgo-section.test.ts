import { describe, expect, it } from 'vitest';
import { CGO_MARKERS, renderCgoSection } from '../../../scripts/bench/cgo';
import { replaceSection } from '../../../scripts/bench/markdown';
import type { Machine } from '../../../scripts/bench/machine';
import { sample } from '../../../scripts/bench/stats';

const machine: Machine = {
  cores: 2,
  cpuModel: 'cpu',
  memoryGiB: 24,
  kernel: 'linux',
  goVersion: 'go1.26.8',
  goroot: '/usr/local/go',
  nodeVersion: 'v20',
  nxVersion: '22.7.12',
  docker: '20.10',
  qemu: '7.2',
  date: '2026-12-04T02:00:00Z',
  loadAtStart: 1.5,
} as Machine;

describe('the cgo section of BENCHMARKS.md', () => {
  const result = {
    platform: 'linux/arm64',
    crossdock: sample([100_000]),
    emulated: sample([1_500_000]),
    emulatedImage: 'img',
    zigTarget: '-target aarch64-linux-musl',
  };

  it('has both rows, the ratio of the medians and what the emulated side built', () => {
    const text = renderCgoSection(result, machine, 1, 2.5);
    expect(text).toContain('## cgo: crossdock with zig against the emulated build');
    expect(text).toMatch(
      /\| linux\/arm64 \| crossdock \(zig cross-compile \+ image\)\s*\|\s*100 s \|/,
    );
    expect(text).toMatch(/emulated docker build \(go \+ gcc under QEMU\)\s*\|\s*1500 s/);
    expect(text).toContain('takes 15× as long');
    expect(text).toContain('as long as crossdock');
    expect(text).toContain('CC=gcc');
    expect(text).toContain('`zig cc -target aarch64-linux-musl`');
    expect(text).toContain('1 run;');
    expect(text).toContain('load 1.5 at the start and 2.5 at the end');
  });

  it('replaces only its own section', () => {
    const doc = `# B\n\n<!-- bench:begin -->\nx\n<!-- bench:end -->\n\n${CGO_MARKERS.begin}\nold\n${CGO_MARKERS.end}\n`;
    const next = replaceSection(doc, CGO_MARKERS, renderCgoSection(result, machine, 1, 2.5), {
      title: '# B',
    });
    expect(next).toContain('<!-- bench:begin -->\nx\n<!-- bench:end -->');
    expect(next).not.toContain('\nold\n');
  });
});
