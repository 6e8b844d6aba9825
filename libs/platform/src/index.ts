export { ARCHITECTURE_ALIASES, OS_ALIASES, type ArchitectureAlias } from './aliases';
export {
  REJECTED_ARCHITECTURES,
  SUPPORTED_ARCHITECTURES,
  SUPPORTED_OSES,
  VARIANT_RULES,
  type VariantRule,
} from './architectures';
export { buildArgs, type TargetBuildArgs } from './buildkit';
export { ELF_MACHINES, elfExpectation, type ElfExpectation } from './elf';
export { PlatformError, type PlatformComponent } from './errors';
export { formatPlatform, platformPath, platformSlug } from './format';
export { GO_ISA_VARIABLES, goEnv, type GoEnvOptions } from './go';
export { GO_PORTS } from './go-ports';
export { NODE_ARCHITECTURES, NODE_OSES, isNativeOn, platformFromNode } from './host';
export { parsePlatformList } from './list';
export {
  findPlatform,
  platformCompatible,
  platformMatches,
  platformsEqual,
  selectPlatformMatch,
  type PlatformMatching,
} from './match';
export { normalizePlatform } from './normalize';
export { canonicalPlatform, parsePlatform, resolvePlatform } from './parse';
export { makePlatform, type Platform } from './platform';
export {
  C_LIBRARIES,
  ZIG_ARCHITECTURES,
  gnuTriple,
  zigTarget,
  type CLibrary,
  type ZigArchitecture,
  type ZigTarget,
} from './zig';
export { QEMU_ARCHITECTURES, qemuCpu, qemuUserBinary, qemuUserStaticBinary } from './qemu';
export { PLATFORM_FORMS, splitPlatform, type PlatformSpecifier } from './split';
export { SUPPORTED_PLATFORMS } from './supported';
