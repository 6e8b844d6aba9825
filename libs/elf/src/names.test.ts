import { describe, expect, it } from 'vitest';
import { MACHINES, machineLabel, machineName, osAbiName, segmentTypeName } from './names';

describe('name tables', () => {
  it('has one entry per e_machine code', () => {
    expect(new Set(MACHINES.map((m) => m.code)).size).toBe(MACHINES.length);
  });

  it.each([
    [62, 'x86-64', 'x86-64'],
    [183, 'AArch64', 'ARM aarch64'],
    [40, 'ARM', 'ARM'],
    [21, 'PowerPC64', '64-bit PowerPC or cisco 7500'],
    [22, 'S/390', 'IBM S/390'],
    [243, 'RISC-V', 'UCB RISC-V'],
    [8, 'MIPS', 'MIPS'],
    [3, 'Intel 80386', 'Intel 80386'],
    [258, 'LoongArch', 'LoongArch'],
    [0x4242, 'unknown (0x4242)', 'unknown machine 0x4242'],
  ])('machine %i is %s (%s)', (code, name, label) => {
    expect(machineName(code)).toBe(name);
    expect(machineLabel(code)).toBe(label);
  });

  it.each([
    [0, 'SYSV'],
    [3, 'GNU/Linux'],
    [9, 'FreeBSD'],
    [200, 'unknown (0xc8)'],
  ])('OS ABI %i is %s', (code, name) => {
    expect(osAbiName(code)).toBe(name);
  });

  it.each([
    [1, 'LOAD'],
    [3, 'INTERP'],
    [0x6474e551, 'GNU_STACK'],
    [0x70000001, '0x70000001'],
  ])('segment type %i is %s', (type, name) => {
    expect(segmentTypeName(type)).toBe(name);
  });
});
