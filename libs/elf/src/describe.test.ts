import { describe, expect, it } from 'vitest';
import { describeElf } from './describe';
import type { ElfInfo } from './types';

// Real binaries are described in test/elf.test.ts; these cover kinds the fixtures lack.
const base: ElfInfo = {
  elfClass: 64,
  byteOrder: 'little',
  osAbi: 0,
  osAbiName: 'SYSV',
  abiVersion: 0,
  type: 'exec',
  typeCode: 2,
  machine: 62,
  machineName: 'x86-64',
  flags: 0,
  entry: 0,
  isDynamic: false,
  isStatic: true,
  isPie: false,
  programHeaders: [],
};

describe('describeElf', () => {
  it.each([
    [{}, 'ELF 64-bit LSB executable, x86-64, statically linked'],
    [
      { type: 'rel', typeCode: 1, isStatic: false, isPie: undefined },
      'ELF 64-bit LSB relocatable, x86-64',
    ],
    [
      { type: 'core', typeCode: 4, isStatic: false, isPie: undefined },
      'ELF 64-bit LSB core file, x86-64',
    ],
    [
      { type: 'other', typeCode: 0xfe00, isStatic: false, isPie: undefined },
      'ELF 64-bit LSB unknown type 0xfe00, x86-64',
    ],
    [
      { type: 'dyn', typeCode: 3, isDynamic: true, isStatic: false, isPie: undefined },
      'ELF 64-bit LSB shared object, x86-64, dynamically linked',
    ],
    [
      {
        elfClass: 32,
        machine: 40,
        machineName: 'ARM',
        armEabiVersion: 5,
        armFloatAbi: 'hard',
        isDynamic: true,
        isStatic: false,
        interpreter: '/lib/ld-linux-armhf.so.3',
      },
      'ELF 32-bit LSB executable, ARM, EABI5, hard-float ABI, dynamically linked, interpreter /lib/ld-linux-armhf.so.3',
    ],
    [
      { elfClass: 32, machine: 40, machineName: 'ARM', armEabiVersion: 5, armFloatAbi: 'soft' },
      'ELF 32-bit LSB executable, ARM, EABI5, soft-float ABI, statically linked',
    ],
    [
      { byteOrder: 'big', machine: 0x1234, machineName: 'unknown (0x1234)' },
      'ELF 64-bit MSB executable, unknown machine 0x1234, statically linked',
    ],
  ] as const)('%o → %s', (overrides, text) => {
    expect(describeElf({ ...base, ...overrides } as ElfInfo)).toBe(text);
  });
});
