// @crossdock/elf: reads the identification, header and program headers of ELF files.
export { ElfFormatError } from './errors';
export type { ElfHeader, ElfIdent, ElfInfo, ElfType, ProgramHeader } from './types';
export { parseElf } from './parse';
export { readElfFile } from './read-file';
export { describeElf } from './describe';
export { armEabiVersion, armFloatAbi } from './info';
export {
  MACHINES,
  OS_ABIS,
  machineLabel,
  machineName,
  osAbiName,
  segmentTypeName,
  type MachineEntry,
} from './names';
export { elfReadPlan, type ReadRequest } from './plan';
export {
  parseGoBuildInfo,
  readGoBuildInfo,
  type GoBuildInfo,
  type GoModuleInfo,
} from './go-build-info';
