import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execa } from 'execa';
import { elfExpectation } from '../src/elf';
import { formatPlatform, platformSlug } from '../src/format';
import { goEnv } from '../src/go';
import { isNativeOn, platformFromNode } from '../src/host';
import { parsePlatform } from '../src/parse';
import type { Platform } from '../src/platform';
import { qemuCpu, qemuUserStaticBinary } from '../src/qemu';
import { describeWithTool, findGo, findTool, isolatedGoEnv } from './tools';

// Builds a tiny program with the real Go toolchain for every architecture (and each arm
// level), then checks elfExpectation against the ELF headers Go wrote and runs each binary
// under the qemu-user binary and -cpu model this library names.
const PLATFORMS = [
  'linux/amd64',
  'linux/arm64',
  'linux/arm/v5',
  'linux/arm/v6',
  'linux/arm/v7',
  'linux/386',
  'linux/ppc64le',
  'linux/s390x',
  'linux/riscv64',
  'linux/mips64le',
  'linux/loong64',
].map(parsePlatform);
const PROGRAM = 'package main\n\nfunc main() {\n\tx := 1.5\n\tprintln("crossdock-ok", x*2)\n}\n';
/** e_flags that Go's internal linker writes for every GOARM: EABI version 5, entry point valid. */
const GO_ARM_EFLAGS = 0x05000002;

const go = findGo();
const binaries = new Map<string, string>();
let workDir = '';

interface ElfHeader {
  readonly elfClass: number;
  readonly byteOrder: 'little' | 'big';
  readonly machine: number;
  readonly flags: number;
}

async function readElfHeader(path: string): Promise<ElfHeader> {
  const file = await open(path, 'r');
  try {
    const { buffer } = await file.read({ buffer: Buffer.alloc(64), position: 0 });
    expect(buffer.subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    const elfClass = buffer[4] === 1 ? 32 : 64;
    const little = buffer[5] === 1;
    const u16 = (at: number) => (little ? buffer.readUInt16LE(at) : buffer.readUInt16BE(at));
    const u32 = (at: number) => (little ? buffer.readUInt32LE(at) : buffer.readUInt32BE(at));
    return {
      elfClass,
      byteOrder: little ? 'little' : 'big',
      machine: u16(18),
      flags: u32(elfClass === 32 ? 36 : 48),
    };
  } finally {
    await file.close();
  }
}

describeWithTool('real Go binaries: ELF headers and qemu-user', go, 'the Go toolchain (go)', () => {
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'crossdock-platform-'));
    await writeFile(join(workDir, 'go.mod'), 'module example.com/platformcheck\n\ngo 1.22\n');
    await writeFile(join(workDir, 'main.go'), PROGRAM);
    for (const platform of PLATFORMS) {
      const out = join(workDir, 'bin', platformSlug(platform));
      await execa(go!, ['build', '-trimpath', '-o', out, '.'], {
        cwd: workDir,
        env: isolatedGoEnv(goEnv(platform)),
      });
      binaries.set(platformSlug(platform), out);
    }
  }, 600_000); // a cold Go cache compiles the runtime once per target: about 2 minutes on 2 cores

  afterAll(async () => {
    if (workDir !== '') await rm(workDir, { recursive: true, force: true });
  });

  it.each(PLATFORMS.map((p) => [formatPlatform(p), p] as const))(
    'elfExpectation(%s) matches the binary Go built',
    async (_name, platform) => {
      const header = await readElfHeader(binaries.get(platformSlug(platform))!);
      const expected = elfExpectation(platform);
      expect({
        machine: header.machine,
        elfClass: header.elfClass,
        byteOrder: header.byteOrder,
      }).toEqual({
        machine: expected.machine,
        elfClass: expected.elfClass,
        byteOrder: expected.byteOrder,
      });
      // Go's linker marks no float ABI for any GOARM: armHardFloat is not in e_flags.
      if (platform.architecture === 'arm') expect(header.flags).toBe(GO_ARM_EFLAGS);
    },
  );

  const qemu = findTool(['qemu-aarch64-static'], ['--version']);
  describeWithTool('under qemu-user', qemu, 'qemu-user-static', () => {
    const host = platformFromNode(process.arch, process.platform);
    const emulate = (platform: Platform, binary: string, cpuOf: Platform = platform) => {
      const cpu = qemuCpu(cpuOf);
      const args = [...(cpu === undefined ? [] : ['-cpu', cpu]), binary];
      return execa(qemuUserStaticBinary(platform), args, { reject: false });
    };
    const run = (platform: Platform, binary: string) =>
      isNativeOn(platform, host) ? execa(binary, [], { reject: false }) : emulate(platform, binary);

    // linux/386 is left out: Debian 12's qemu-i386 (7.2) crashes Go 1.26 386 binaries
    // ("fatal error: morestack on g0"), although they run natively on an amd64 kernel.
    it.each(
      PLATFORMS.filter((p) => p.architecture !== '386').map((p) => [formatPlatform(p), p] as const),
    )(
      'runs the %s binary natively or with its qemu binary and -cpu model',
      async (_name, platform) => {
        const result = await run(platform, binaries.get(platformSlug(platform))!);
        expect(result.exitCode, result.stderr).toBe(0);
        expect(result.stderr).toContain('crossdock-ok');
      },
    );

    it.each([
      ['linux/arm/v7', 'linux/arm/v6'],
      ['linux/arm/v6', 'linux/arm/v5'],
    ])(
      'a %s binary dies of an illegal instruction on the CPU qemuCpu(%s) names',
      async (built, cpu) => {
        const platform = parsePlatform(built);
        const result = await emulate(
          platform,
          binaries.get(platformSlug(platform))!,
          parsePlatform(cpu),
        );
        expect(result.exitCode).not.toBe(0);
        expect(result.stderr).toMatch(/Illegal instruction|signal 4/);
      },
    );
  });
});
