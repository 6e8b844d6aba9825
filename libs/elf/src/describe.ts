import { machineLabel } from './names';
import type { ElfInfo } from './types';

function typeLabel(info: ElfInfo): string {
  switch (info.type) {
    case 'exec':
      return 'executable';
    case 'dyn':
      return info.isPie ? 'pie executable' : 'shared object';
    case 'rel':
      return 'relocatable';
    case 'core':
      return 'core file';
    case 'other':
      return `unknown type 0x${info.typeCode.toString(16)}`;
  }
}

function armLabel(info: ElfInfo): string[] {
  const parts: string[] = [];
  if (info.armEabiVersion) parts.push(`EABI${info.armEabiVersion}`);
  if (info.armFloatAbi === 'hard') parts.push('hard-float ABI');
  if (info.armFloatAbi === 'soft') parts.push('soft-float ABI');
  return parts;
}

function linkage(info: ElfInfo): string[] {
  if (info.interpreter !== undefined)
    return [`dynamically linked, interpreter ${info.interpreter}`];
  if (info.isDynamic) return ['dynamically linked'];
  if (info.isStatic) return ['statically linked'];
  return [];
}

/**
 * A one-line summary in the manner of `file`, for messages: `ELF 64-bit LSB executable,
 * ARM aarch64, statically linked`, or `ELF 64-bit LSB pie executable, x86-64, dynamically
 * linked, interpreter /lib64/ld-linux-x86-64.so.2`.
 */
export function describeElf(info: ElfInfo): string {
  const head = `ELF ${info.elfClass}-bit ${info.byteOrder === 'little' ? 'LSB' : 'MSB'} ${typeLabel(info)}`;
  return [head, machineLabel(info.machine), ...armLabel(info), ...linkage(info)].join(', ');
}
