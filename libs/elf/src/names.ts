/** One e_machine value: its short name (ElfInfo.machineName) and the label used by describeElf. */
export interface MachineEntry {
  readonly code: number;
  /** A short name such as `x86-64` or `AArch64`. */
  readonly name: string;
  /** The wording of Debian's `file`, so messages read like its output (e.g. `ARM aarch64`). */
  readonly label: string;
}

/**
 * The e_machine values worth naming: every architecture Go or Debian targets, and a few
 * neighbours that turn up when a wrong binary is copied in. Codes from <elf.h>.
 */
export const MACHINES: readonly MachineEntry[] = [
  { code: 0, name: 'none', label: 'no machine' },
  { code: 2, name: 'SPARC', label: 'SPARC' },
  { code: 3, name: 'Intel 80386', label: 'Intel 80386' },
  { code: 4, name: 'Motorola 68000', label: 'Motorola m68k' },
  { code: 8, name: 'MIPS', label: 'MIPS' },
  { code: 10, name: 'MIPS RS3000 LE', label: 'MIPS R3000' },
  { code: 15, name: 'PA-RISC', label: 'PA-RISC' },
  { code: 18, name: 'SPARC32PLUS', label: 'SPARC32PLUS' },
  { code: 20, name: 'PowerPC', label: 'PowerPC or cisco 4500' },
  { code: 21, name: 'PowerPC64', label: '64-bit PowerPC or cisco 7500' },
  { code: 22, name: 'S/390', label: 'IBM S/390' },
  { code: 40, name: 'ARM', label: 'ARM' },
  { code: 42, name: 'SuperH', label: 'Renesas SH' },
  { code: 43, name: 'SPARC V9', label: 'SPARC V9' },
  { code: 50, name: 'IA-64', label: 'IA-64' },
  { code: 62, name: 'x86-64', label: 'x86-64' },
  { code: 183, name: 'AArch64', label: 'ARM aarch64' },
  { code: 243, name: 'RISC-V', label: 'UCB RISC-V' },
  { code: 247, name: 'BPF', label: 'eBPF' },
  { code: 258, name: 'LoongArch', label: 'LoongArch' },
];

/** The e_ident[EI_OSABI] values and the names `file` prints in parentheses. */
export const OS_ABIS: ReadonlyMap<number, string> = new Map([
  [0, 'SYSV'],
  [1, 'HP-UX'],
  [2, 'NetBSD'],
  [3, 'GNU/Linux'],
  [6, 'Solaris'],
  [7, 'AIX'],
  [8, 'IRIX'],
  [9, 'FreeBSD'],
  [10, 'Tru64'],
  [11, 'Novell Modesto'],
  [12, 'OpenBSD'],
  [13, 'OpenVMS'],
  [14, 'HP NonStop Kernel'],
  [15, 'AROS'],
  [16, 'FenixOS'],
  [17, 'CloudABI'],
  [64, 'ARM EABI'],
  [97, 'ARM'],
  [255, 'Standalone'],
]);

/**
 * The p_type values and their names as `readelf -l` prints them. Processor-specific
 * types (0x70000000 and up) mean different things per machine and stay in hex.
 */
export const SEGMENT_TYPES: ReadonlyMap<number, string> = new Map([
  [0, 'NULL'],
  [1, 'LOAD'],
  [2, 'DYNAMIC'],
  [3, 'INTERP'],
  [4, 'NOTE'],
  [5, 'SHLIB'],
  [6, 'PHDR'],
  [7, 'TLS'],
  [0x6474e550, 'GNU_EH_FRAME'],
  [0x6474e551, 'GNU_STACK'],
  [0x6474e552, 'GNU_RELRO'],
  [0x6474e553, 'GNU_PROPERTY'],
  [0x6474e554, 'GNU_SFRAME'],
]);

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** The short name of an e_machine value, or `unknown (0x…)`. */
export function machineName(code: number): string {
  return MACHINES.find((m) => m.code === code)?.name ?? `unknown (${hex(code)})`;
}

/** The `file`-style label of an e_machine value, or `unknown machine 0x…`. */
export function machineLabel(code: number): string {
  return MACHINES.find((m) => m.code === code)?.label ?? `unknown machine ${hex(code)}`;
}

/** The name of an e_ident[EI_OSABI] value, or `unknown (0x…)`. */
export function osAbiName(code: number): string {
  return OS_ABIS.get(code) ?? `unknown (${hex(code)})`;
}

/** The name of a p_type value, or its hex form. */
export function segmentTypeName(type: number): string {
  return SEGMENT_TYPES.get(type) ?? hex(type);
}
