import type { TargetConfiguration } from '@nx/devkit';
import { formatPlatform, type Platform } from '@crossdock/platform';
import { CROSSDOCK_CLI } from './cli-command';
import { shellWord } from '../../support/process/shell-word';

type Input = NonNullable<TargetConfiguration['inputs']>[number];

/** The command whose output identifies a C toolchain (see cli/commands/c-toolchain.ts). */
export const C_TOOLCHAIN_COMMAND = `${CROSSDOCK_CLI} c-toolchain`;

/** What of a project's options picks its C toolchain. */
export interface CToolchainChoice {
  readonly cgo: boolean;
  readonly cc: string;
  readonly cxx: string;
  readonly libc: string;
}

/**
 * The inputs a cgo compile target adds for its C toolchain: one runtime input printing the
 * toolchain's identity, `zig 0.17.0` (the same for every platform, so Nx runs it once) or
 * the configured compilers' `--version` for this platform. None without cgo, so a project
 * that does not use cgo keeps its cache keys. (CGO_CFLAGS/CGO_LDFLAGS are target options,
 * hashed with them; the C sources and #cgo lines are Go-source inputs.)
 */
export function cToolchainInputs(choice: CToolchainChoice, platform: Platform): Input[] {
  if (!choice.cgo) return [];
  if (choice.cc.trim() === '') return [{ runtime: C_TOOLCHAIN_COMMAND }];
  const args = [
    '--platform',
    formatPlatform(platform),
    '--libc',
    choice.libc,
    '--cc',
    choice.cc,
    ...(choice.cxx.trim() ? ['--cxx', choice.cxx] : []),
  ];
  return [{ runtime: `${C_TOOLCHAIN_COMMAND} ${args.map(shellWord).join(' ')}` }];
}
