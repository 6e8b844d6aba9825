import { beforeAll, describe, expect, it } from 'vitest';
import { readElfFile, type ElfInfo } from '../src';
import { C_VARIANTS, GO_TARGETS, type ElfFixtures } from './fixtures';
import { fixtureSupport } from './support';
import { reportMissing, runTool } from './tools';

// An independent reader: Debian's `file` (libmagic) must agree with this library on
// every real binary. The words below are how `file` spells each machine.
const support = fixtureSupport();
const fileCommand = support.tools.file;
const fileMissing =
  fileCommand === undefined &&
  reportMissing('file', 'the ELF tests cross-check machine names with it');

const FILE_MACHINE_WORDS: Readonly<Record<string, string>> = {
  'x86-64': 'x86-64',
  AArch64: 'aarch64',
  ARM: 'ARM',
  PowerPC64: '64-bit PowerPC',
  'S/390': 'IBM S/390',
  'RISC-V': 'RISC-V',
  'Intel 80386': 'Intel 80386',
  MIPS: 'MIPS',
  LoongArch: 'LoongArch',
};

/** The phrases `file -b` must print for what readElfFile found. */
function expectedPhrases(info: ElfInfo): string[] {
  const phrases = [
    `ELF ${info.elfClass}-bit ${info.byteOrder === 'little' ? 'LSB' : 'MSB'}`,
    FILE_MACHINE_WORDS[info.machineName] ?? `no file word for ${info.machineName}`,
    `(${info.osAbiName})`,
  ];
  if (info.type === 'exec') phrases.push(' executable,');
  if (info.isPie) phrases.push('pie executable');
  if (info.isStatic) phrases.push('statically linked');
  if (info.interpreter !== undefined)
    phrases.push(`dynamically linked, interpreter ${info.interpreter}`);
  // The one place the header rule and `file` differ: PT_DYNAMIC without PT_INTERP.
  if (info.isDynamic && info.interpreter === undefined) phrases.push('static-pie linked');
  if (info.armEabiVersion) phrases.push(`EABI${info.armEabiVersion}`);
  return phrases;
}

describe.skipIf(!support.available || fileMissing)('agreement with file(1)', () => {
  let fixtures: ElfFixtures;
  const file = async (name: Parameters<ElfFixtures['path']>[0]): Promise<string> =>
    runTool(fileCommand ?? 'file', ['-b', fixtures.path(name)]);
  beforeAll(async () => {
    fixtures = await support.build();
  });

  it.each([
    ['go-linux-amd64', 'x86-64'],
    ['go-linux-arm64', 'aarch64'],
  ] as const)('file -b %s mentions %s', async (name, word) => {
    const info = await readElfFile(fixtures.path(name));
    expect(await file(name)).toContain(word);
    expect(FILE_MACHINE_WORDS[info.machineName]).toBe(word);
  });

  it.each([...GO_TARGETS.map((t) => t.name), ...C_VARIANTS.map((c) => c.name)])(
    '%s: file -b agrees on class, byte order, machine, ABI and linkage',
    async (name) => {
      const info = await readElfFile(fixtures.path(name));
      const output = await file(name);
      for (const phrase of expectedPhrases(info)) expect(output).toContain(phrase);
    },
  );
});
