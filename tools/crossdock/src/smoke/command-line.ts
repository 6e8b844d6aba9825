import type { RunMode } from './run-mode';

/** A command to run: the program and its argument array (never a shell string). */
export interface SmokeCommandLine {
  readonly command: string;
  readonly args: readonly string[];
}

/** What the command line of one smoke run is made of. */
export interface SmokeCommandInput {
  /** Native or emulated; an unavailable platform has no command line. */
  readonly mode: Extract<RunMode, { kind: 'native' | 'emulated' }>;
  /** The extracted root filesystem (absolute). */
  readonly rootfs: string;
  /** The entrypoint's program, resolved to its path inside `rootfs` on disk. */
  readonly program: string;
  /** The rest of the image's Entrypoint, then the smoke arguments. */
  readonly args: readonly string[];
}

/**
 * The command line of a smoke run. Natively, the program runs from the root filesystem
 * (`<rootfs>/usr/local/bin/hello --version`). Emulated, qemu-user runs it with the root
 * filesystem as its library prefix, so a dynamic binary's loader and libraries come from
 * the image, and with the platform's CPU model:
 * `qemu-arm-static -L <rootfs> -cpu cortex-a7 <rootfs>/usr/local/bin/hello --version`.
 */
export function smokeCommandLine(input: SmokeCommandInput): SmokeCommandLine {
  const { mode, rootfs, program, args } = input;
  if (mode.kind === 'native') return { command: program, args: [...args] };
  return {
    command: mode.qemu,
    args: ['-L', rootfs, ...(mode.cpu === undefined ? [] : ['-cpu', mode.cpu]), program, ...args],
  };
}

/** A command line as one readable line, for messages and the record (arguments with spaces quoted). */
export function formatCommandLine(line: SmokeCommandLine): string {
  return [line.command, ...line.args]
    .map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : JSON.stringify(part)))
    .join(' ');
}
