import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeElf, ElfFormatError, parseElf, readElfFile, type ElfInfo } from '../src';
import type { ElfFixtures, FixtureName } from './fixtures';
import { HOST_INTERPRETER } from './garbage';
import { fixtureSupport } from './support';

const support = fixtureSupport();

interface Expected {
  readonly name: FixtureName;
  readonly elfClass: 32 | 64;
  readonly byteOrder: 'little' | 'big';
  readonly machine: number;
  readonly machineName: string;
}

// Every Go build is a static ET_EXEC with no interpreter; these columns are what differ.
const GO_BINARIES: readonly Expected[] = [
  { name: 'go-linux-amd64', elfClass: 64, byteOrder: 'little', machine: 62, machineName: 'x86-64' },
  {
    name: 'go-linux-arm64',
    elfClass: 64,
    byteOrder: 'little',
    machine: 183,
    machineName: 'AArch64',
  },
  { name: 'go-linux-arm-v7', elfClass: 32, byteOrder: 'little', machine: 40, machineName: 'ARM' },
  { name: 'go-linux-arm-v5', elfClass: 32, byteOrder: 'little', machine: 40, machineName: 'ARM' },
  {
    name: 'go-linux-ppc64le',
    elfClass: 64,
    byteOrder: 'little',
    machine: 21,
    machineName: 'PowerPC64',
  },
  { name: 'go-linux-ppc64', elfClass: 64, byteOrder: 'big', machine: 21, machineName: 'PowerPC64' },
  { name: 'go-linux-s390x', elfClass: 64, byteOrder: 'big', machine: 22, machineName: 'S/390' },
  {
    name: 'go-linux-riscv64',
    elfClass: 64,
    byteOrder: 'little',
    machine: 243,
    machineName: 'RISC-V',
  },
  {
    name: 'go-linux-386',
    elfClass: 32,
    byteOrder: 'little',
    machine: 3,
    machineName: 'Intel 80386',
  },
  { name: 'go-linux-mips', elfClass: 32, byteOrder: 'big', machine: 8, machineName: 'MIPS' },
  {
    name: 'go-linux-loong64',
    elfClass: 64,
    byteOrder: 'little',
    machine: 258,
    machineName: 'LoongArch',
  },
];

interface ExpectedC {
  readonly name: FixtureName;
  readonly type: ElfInfo['type'];
  readonly isDynamic: boolean;
  readonly isStatic: boolean;
  readonly interpreter: string | undefined;
  readonly isPie: boolean | undefined;
  readonly osAbiName: string;
}

const C_BINARIES: readonly ExpectedC[] = [
  {
    name: 'c-dynamic-pie',
    type: 'dyn',
    isDynamic: true,
    isStatic: false,
    interpreter: HOST_INTERPRETER,
    isPie: true,
    osAbiName: 'SYSV',
  },
  {
    name: 'c-dynamic-nopie',
    type: 'exec',
    isDynamic: true,
    isStatic: false,
    interpreter: HOST_INTERPRETER,
    isPie: false,
    osAbiName: 'SYSV',
  },
  // glibc's static link marks the ABI as GNU/Linux (IFUNCs), as `file` shows.
  {
    name: 'c-static',
    type: 'exec',
    isDynamic: false,
    isStatic: true,
    interpreter: undefined,
    isPie: false,
    osAbiName: 'GNU/Linux',
  },
  // static-pie has PT_DYNAMIC (for self-relocation) but no PT_INTERP: "dynamic" by this
  // library's rule, yet it needs no loader; the missing interpreter is what tells.
  {
    name: 'c-static-pie',
    type: 'dyn',
    isDynamic: true,
    isStatic: false,
    interpreter: undefined,
    isPie: undefined,
    osAbiName: 'GNU/Linux',
  },
];

const DESCRIPTIONS: readonly (readonly [FixtureName, string])[] = [
  ['go-linux-arm64', 'ELF 64-bit LSB executable, ARM aarch64, statically linked'],
  ['go-linux-amd64', 'ELF 64-bit LSB executable, x86-64, statically linked'],
  ['go-linux-arm-v7', 'ELF 32-bit LSB executable, ARM, EABI5, statically linked'],
  ['go-linux-s390x', 'ELF 64-bit MSB executable, IBM S/390, statically linked'],
  ['go-linux-mips', 'ELF 32-bit MSB executable, MIPS, statically linked'],
  [
    'c-dynamic-pie',
    `ELF 64-bit LSB pie executable, x86-64, dynamically linked, interpreter ${HOST_INTERPRETER}`,
  ],
  [
    'c-dynamic-nopie',
    `ELF 64-bit LSB executable, x86-64, dynamically linked, interpreter ${HOST_INTERPRETER}`,
  ],
  ['c-static', 'ELF 64-bit LSB executable, x86-64, statically linked'],
];

describe.skipIf(!support.available)('ELF fixtures built by the real toolchains', () => {
  let fixtures: ElfFixtures;
  beforeAll(async () => {
    fixtures = await support.build();
  });

  it.each(GO_BINARIES)(
    '$name: $elfClass-bit $byteOrder-endian $machineName, static',
    async (row) => {
      const info = await readElfFile(fixtures.path(row.name));
      expect(info).toMatchObject({
        elfClass: row.elfClass,
        byteOrder: row.byteOrder,
        machine: row.machine,
        machineName: row.machineName,
        type: 'exec',
        osAbiName: 'SYSV',
        isStatic: true,
        isDynamic: false,
        isPie: false,
      });
      expect(info.interpreter).toBeUndefined();
      expect(info.programHeaders.some((p) => p.typeName === 'LOAD' && (p.flags & 1) === 1)).toBe(
        true,
      );
    },
  );

  it.each(C_BINARIES)(
    '$name: gcc $type, dynamic=$isDynamic, interpreter=$interpreter',
    async (row) => {
      const info = await readElfFile(fixtures.path(row.name));
      expect(info).toMatchObject({
        elfClass: 64,
        byteOrder: 'little',
        machine: 62,
        machineName: 'x86-64',
      });
      const { name: _name, ...expected } = row;
      const { type, isDynamic, isStatic, interpreter, isPie, osAbiName } = info;
      expect({ type, isDynamic, isStatic, interpreter, isPie, osAbiName }).toEqual(expected);
    },
  );

  // Go writes e_flags 0x05000002 (EABI5, has entry point) for every GOARM and sets neither
  // EF_ARM_ABI_FLOAT_HARD nor _SOFT, so GOARM=7 and GOARM=5 look the same in the header.
  it.each(['go-linux-arm-v7', 'go-linux-arm-v5'] as const)(
    '%s: EABI 5, float ABI unspecified (what Go emits)',
    async (name) => {
      const info = await readElfFile(fixtures.path(name));
      expect(info.flags).toBe(0x05000002);
      expect(info.armEabiVersion).toBe(5);
      expect(info.armFloatAbi).toBe('unspecified');
    },
  );

  it('reports ARM fields only for ARM', async () => {
    const info = await readElfFile(fixtures.path('go-linux-arm64'));
    expect(info).not.toHaveProperty('armEabiVersion');
    expect(info).not.toHaveProperty('armFloatAbi');
  });

  it.each(DESCRIPTIONS)('describeElf(%s) = %s', async (name, text) => {
    expect(describeElf(await readElfFile(fixtures.path(name)))).toBe(text);
  });

  it.each([...GO_BINARIES.map((r) => r.name), ...C_BINARIES.map((r) => r.name)])(
    '%s: readElfFile and parseElf of the whole file agree',
    async (name) => {
      const path = fixtures.path(name);
      expect(await readElfFile(path)).toEqual(parseElf(await readFile(path)));
    },
  );

  it('reads only the headers: a 3 GiB sparse file with an ELF head parses at once', async () => {
    const head = (await readFile(fixtures.path('c-dynamic-pie'))).subarray(0, 4096);
    const path = join(fixtures.dir, '..', `sparse-${process.pid}.elf`);
    const handle = await open(path, 'w');
    try {
      await handle.write(head, 0, head.length, 0);
      await handle.truncate(3 * 2 ** 30); // larger than Node's 2 GiB readFile limit
    } finally {
      await handle.close();
    }
    try {
      const info = await readElfFile(path);
      expect(info.interpreter).toBe(HOST_INTERPRETER);
    } finally {
      await rm(path, { force: true });
    }
  });

  it('follows PN_XNUM: e_phnum 0xffff takes the count from section header 0', async () => {
    const bytes = Uint8Array.from(await readFile(fixtures.path('c-dynamic-pie')));
    const view = new DataView(bytes.buffer);
    const shoff = Number(view.getBigUint64(40, true));
    const phnum = view.getUint16(56, true);
    view.setUint16(56, 0xffff, true);
    view.setUint32(shoff + 44, phnum, true); // sh_info of the null section header
    const info = parseElf(bytes);
    expect(info.programHeaders).toHaveLength(phnum);
    expect(info.interpreter).toBe(HOST_INTERPRETER);

    view.setBigUint64(40, 0n, true);
    expect(() => parseElf(bytes)).toThrow(
      expect.objectContaining({ name: 'ElfFormatError', offset: 56 }),
    );
  });

  it('names the file in format errors and keeps I/O errors as they are', async () => {
    const path = fixtures.path('shell-script');
    await expect(readElfFile(path)).rejects.toThrow(`${path}: not an ELF file`);
    const missing = fixtures.path('no-such-file' as FixtureName);
    await expect(readElfFile(missing)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readElfFile(missing)).rejects.not.toBeInstanceOf(ElfFormatError);
  });

  it('refuses a relative path rather than resolving it against the cwd', async () => {
    await expect(readElfFile('dist/bin/app')).rejects.toThrow(
      'needs an absolute path, got "dist/bin/app"',
    );
  });
});
