import {
  EF_ARM_ABI_FLOAT_HARD,
  EF_ARM_ABI_FLOAT_SOFT,
  EF_ARM_EABIMASK,
  EM_ARM,
  ET_CORE,
  ET_DYN,
  ET_EXEC,
  ET_REL,
  PT_DYNAMIC,
  PT_INTERP,
} from './constants';
import { machineName, osAbiName } from './names';
import type { ElfHeader, ElfInfo, ElfType, ProgramHeader } from './types';

const TYPES: ReadonlyMap<number, ElfType> = new Map([
  [ET_REL, 'rel'],
  [ET_EXEC, 'exec'],
  [ET_DYN, 'dyn'],
  [ET_CORE, 'core'],
]);

/** The float ABI an ARM e_flags value declares. */
export function armFloatAbi(flags: number): 'hard' | 'soft' | 'unspecified' {
  if (flags & EF_ARM_ABI_FLOAT_HARD) return 'hard';
  if (flags & EF_ARM_ABI_FLOAT_SOFT) return 'soft';
  return 'unspecified';
}

/** The EABI version an ARM e_flags value declares (0 for the old GNU ABI). */
export function armEabiVersion(flags: number): number {
  return (flags & EF_ARM_EABIMASK) >>> 24;
}

function pieness(type: ElfType, interpreter: string | undefined): boolean | undefined {
  if (type === 'exec') return false;
  if (type === 'dyn' && interpreter !== undefined) return true;
  return undefined;
}

/** The ElfInfo for a decoded header, its program headers and its PT_INTERP string. */
export function assembleInfo(
  header: ElfHeader,
  programHeaders: readonly ProgramHeader[],
  interpreter: string | undefined,
): ElfInfo {
  const type = TYPES.get(header.typeCode) ?? 'other';
  const hasInterp = programHeaders.some((p) => p.type === PT_INTERP);
  const hasDynamic = programHeaders.some((p) => p.type === PT_DYNAMIC);
  const isDynamic = hasInterp || hasDynamic;
  const isPie = pieness(type, interpreter);
  return {
    elfClass: header.elfClass,
    byteOrder: header.byteOrder,
    osAbi: header.osAbi,
    osAbiName: osAbiName(header.osAbi),
    abiVersion: header.abiVersion,
    type,
    typeCode: header.typeCode,
    machine: header.machine,
    machineName: machineName(header.machine),
    flags: header.flags,
    entry: header.entry,
    ...(header.machine === EM_ARM
      ? { armEabiVersion: armEabiVersion(header.flags), armFloatAbi: armFloatAbi(header.flags) }
      : {}),
    ...(interpreter === undefined ? {} : { interpreter }),
    isDynamic,
    isStatic: !isDynamic && (type === 'exec' || type === 'dyn'),
    ...(isPie === undefined ? {} : { isPie }),
    programHeaders,
  };
}
