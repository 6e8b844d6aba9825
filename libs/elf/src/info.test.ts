import { describe, expect, it } from 'vitest';
import { armEabiVersion, armFloatAbi } from './info';

describe('ARM e_flags', () => {
  it.each([
    [0x05000002, 5, 'unspecified'], // what Go writes for every GOARM
    [0x05000400, 5, 'hard'], // GCC armhf (EF_ARM_ABI_FLOAT_HARD)
    [0x05000200, 5, 'soft'], // GCC armel (EF_ARM_ABI_FLOAT_SOFT)
    [0x04000000, 4, 'unspecified'],
    [0x00000000, 0, 'unspecified'], // old GNU ABI
  ] as const)('e_flags %i: EABI %i, float %s', (flags, eabi, float) => {
    expect(armEabiVersion(flags)).toBe(eabi);
    expect(armFloatAbi(flags)).toBe(float);
  });
});
