import { elfReadPlan } from './plan';
import type { ElfInfo } from './types';

/**
 * Decodes an ELF file held in memory: identification, header, program headers and the
 * PT_INTERP string. `bytes` is the file, or a prefix of it that holds every part read
 * (for ordinary executables the first page); anything missing is an ElfFormatError that
 * names the offset, never another kind of error.
 */
export function parseElf(bytes: Uint8Array): ElfInfo {
  const plan = elfReadPlan(bytes.length);
  let step = plan.next();
  while (!step.done) {
    const { offset, length } = step.value;
    step = plan.next(bytes.subarray(offset, offset + length));
  }
  return step.value;
}
