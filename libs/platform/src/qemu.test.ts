import { describe, expect, it } from 'vitest';
import { parsePlatform } from './parse';
import { qemuCpu, qemuUserBinary, qemuUserStaticBinary } from './qemu';

describe('qemuUserBinary, qemuUserStaticBinary, qemuCpu', () => {
  it.each([
    ['linux/amd64', 'qemu-x86_64', undefined],
    ['linux/amd64/v2', 'qemu-x86_64', undefined],
    ['linux/arm64', 'qemu-aarch64', undefined],
    ['linux/arm/v7', 'qemu-arm', 'cortex-a7'],
    ['linux/arm/v6', 'qemu-arm', 'arm1176'],
    ['linux/arm/v5', 'qemu-arm', 'arm926'],
    ['linux/386', 'qemu-i386', undefined],
    ['linux/ppc64le', 'qemu-ppc64le', undefined],
    ['linux/s390x', 'qemu-s390x', undefined],
    ['linux/riscv64', 'qemu-riscv64', undefined],
    ['linux/mips64le', 'qemu-mips64el', undefined],
    ['linux/loong64', 'qemu-loongarch64', undefined],
  ])('%s → %s (-cpu %s)', (platform, binary, cpu) => {
    const parsed = parsePlatform(platform);
    expect(qemuUserBinary(parsed)).toBe(binary);
    expect(qemuUserStaticBinary(parsed)).toBe(`${binary}-static`);
    expect(qemuCpu(parsed)).toBe(cpu);
  });
});
