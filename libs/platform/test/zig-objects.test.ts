import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execa } from 'execa';
import { elfExpectation } from '../src/elf';
import { formatPlatform, platformSlug } from '../src/format';
import { SUPPORTED_PLATFORMS } from '../src/supported';
import { C_LIBRARIES, zigTarget } from '../src/zig';
import { describeWithTool, findTool } from './tools';

// Compiles a C file with the real zig for every platform and C library through the target
// zigTarget names, and checks the object's ELF header against elfExpectation (and, for arm,
// the float ABI flag the C compiler writes: hard for v6/v7, soft for v5).
const zig = findTool(
  ['zig', `${process.env['CROSSDOCK_CACHE'] ?? '/var/cache/crossdock'}/zig-0.17.0/zig`],
  ['version'],
);
const SOURCE = 'double scale(double x) { return x * 2.5; }\n';
const EF_ARM_ABI_FLOAT_SOFT = 0x200;
const EF_ARM_ABI_FLOAT_HARD = 0x400;
let workDir = '';

async function header(
  path: string,
): Promise<{ elfClass: number; byteOrder: string; machine: number; flags: number }> {
  const file = await open(path, 'r');
  try {
    const { buffer } = await file.read({ buffer: Buffer.alloc(64), position: 0 });
    const little = buffer[5] === 1;
    const elfClass = buffer[4] === 1 ? 32 : 64;
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

describeWithTool(
  'zigTarget with the real zig: object files per platform',
  zig,
  'zig (tools/scripts/setup-test-env.sh installs it)',
  () => {
    beforeAll(async () => {
      workDir = await mkdtemp(join(tmpdir(), 'crossdock-zig-'));
      await writeFile(join(workDir, 'scale.c'), SOURCE);
    });
    afterAll(async () => {
      if (workDir) await rm(workDir, { recursive: true, force: true });
    });

    const cases = SUPPORTED_PLATFORMS.flatMap((platform) =>
      C_LIBRARIES.map((libc) => [formatPlatform(platform), libc, platform] as const),
    );
    it.each(cases)(
      '%s %s: zig cc writes the ELF the platform needs',
      async (_name, libc, platform) => {
        const out = join(workDir, `${platformSlug(platform)}-${libc}.o`);
        const cache = join(workDir, 'cache');
        await execa(zig!, ['cc', ...zigTarget(platform, libc).args, '-c', 'scale.c', '-o', out], {
          cwd: workDir,
          env: { ZIG_GLOBAL_CACHE_DIR: cache, ZIG_LOCAL_CACHE_DIR: cache },
        });
        const elf = await header(out);
        const want = elfExpectation(platform);
        expect({
          elfClass: elf.elfClass,
          byteOrder: elf.byteOrder,
          machine: elf.machine,
        }).toStrictEqual({
          elfClass: want.elfClass,
          byteOrder: want.byteOrder,
          machine: want.machine,
        });
        if (want.armHardFloat !== undefined) {
          expect(
            elf.flags & (want.armHardFloat ? EF_ARM_ABI_FLOAT_HARD : EF_ARM_ABI_FLOAT_SOFT),
          ).not.toBe(0);
        }
      },
    );
  },
);
