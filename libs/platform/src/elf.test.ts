import { describe, expect, it } from 'vitest';
import { elfExpectation } from './elf';
import { parsePlatform } from './parse';

describe('elfExpectation', () => {
  it.each([
    ['linux/amd64', { machine: 62, machineName: 'EM_X86_64', elfClass: 64, byteOrder: 'little' }],
    [
      'linux/amd64/v3',
      { machine: 62, machineName: 'EM_X86_64', elfClass: 64, byteOrder: 'little' },
    ],
    ['linux/arm64', { machine: 183, machineName: 'EM_AARCH64', elfClass: 64, byteOrder: 'little' }],
    [
      'linux/arm/v7',
      { machine: 40, machineName: 'EM_ARM', elfClass: 32, byteOrder: 'little', armHardFloat: true },
    ],
    [
      'linux/arm/v6',
      { machine: 40, machineName: 'EM_ARM', elfClass: 32, byteOrder: 'little', armHardFloat: true },
    ],
    [
      'linux/arm/v5',
      {
        machine: 40,
        machineName: 'EM_ARM',
        elfClass: 32,
        byteOrder: 'little',
        armHardFloat: false,
      },
    ],
    ['linux/386', { machine: 3, machineName: 'EM_386', elfClass: 32, byteOrder: 'little' }],
    ['linux/ppc64le', { machine: 21, machineName: 'EM_PPC64', elfClass: 64, byteOrder: 'little' }],
    ['linux/s390x', { machine: 22, machineName: 'EM_S390', elfClass: 64, byteOrder: 'big' }],
    ['linux/riscv64', { machine: 243, machineName: 'EM_RISCV', elfClass: 64, byteOrder: 'little' }],
    ['linux/mips64le', { machine: 8, machineName: 'EM_MIPS', elfClass: 64, byteOrder: 'little' }],
    [
      'linux/loong64',
      { machine: 258, machineName: 'EM_LOONGARCH', elfClass: 64, byteOrder: 'little' },
    ],
  ])('%s → %j', (platform, expected) => {
    expect(elfExpectation(parsePlatform(platform))).toStrictEqual(expected);
  });
});
