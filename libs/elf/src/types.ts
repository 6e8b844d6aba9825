/** The fields of e_ident: the 16 bytes that say how to read the rest. */
export interface ElfIdent {
  readonly elfClass: 32 | 64;
  readonly byteOrder: 'little' | 'big';
  /** e_ident[EI_OSABI]: 0 (System V) for Go and most Linux binaries, 3 (GNU/Linux) for glibc static ones. */
  readonly osAbi: number;
  readonly abiVersion: number;
}

/** The kind of object an ELF file is, from e_type. */
export type ElfType = 'exec' | 'dyn' | 'rel' | 'core' | 'other';

/** The ELF file header (Elf32_Ehdr / Elf64_Ehdr), decoded. */
export interface ElfHeader extends ElfIdent {
  readonly typeCode: number;
  readonly machine: number;
  readonly entry: number;
  readonly phoff: number;
  readonly shoff: number;
  readonly flags: number;
  readonly phentsize: number;
  /** e_phnum as stored; PN_XNUM (0xffff) means the count is in section header 0. */
  readonly phnum: number;
  readonly shentsize: number;
  readonly shnum: number;
}

/**
 * One program header (segment). 64-bit values are JavaScript numbers: exact up to 2^53,
 * which covers every file offset and size; a kernel's high virtual addresses may round.
 */
export interface ProgramHeader {
  /** The position in the program header table, from 0. */
  readonly index: number;
  /** p_type, such as 1 (PT_LOAD) or 3 (PT_INTERP). */
  readonly type: number;
  /** p_type as `readelf -l` names it (`LOAD`, `INTERP`, `GNU_STACK`), or hex. */
  readonly typeName: string;
  readonly offset: number;
  readonly vaddr: number;
  readonly paddr: number;
  readonly filesz: number;
  readonly memsz: number;
  /** p_flags: PF_X = 1, PF_W = 2, PF_R = 4. */
  readonly flags: number;
  readonly align: number;
}

/** What crossdock needs to know about an ELF binary: identification, header and segments. */
export interface ElfInfo {
  readonly elfClass: 32 | 64;
  readonly byteOrder: 'little' | 'big';
  readonly osAbi: number;
  /** `SYSV`, `GNU/Linux`, `FreeBSD`…, as `file` prints it. */
  readonly osAbiName: string;
  readonly abiVersion: number;
  readonly type: ElfType;
  /** e_type as stored, for the `other` case. */
  readonly typeCode: number;
  /** e_machine, such as 62 (x86-64) or 183 (AArch64). */
  readonly machine: number;
  /** A short name: `x86-64`, `AArch64`, `ARM`, `PowerPC64`, `S/390`, `RISC-V`, `MIPS`, `Intel 80386`, `LoongArch`. */
  readonly machineName: string;
  /** e_flags, machine-specific. */
  readonly flags: number;
  readonly entry: number;
  /** ARM only: the EABI version from the top byte of e_flags (5 for Go and current GCC; 0 for old GNU ABI). */
  readonly armEabiVersion?: number;
  /**
   * ARM only: the float ABI from EF_ARM_ABI_FLOAT_HARD / _SOFT. Go sets neither (e_flags is
   * 0x05000002 for every GOARM), so Go binaries report `unspecified`.
   */
  readonly armFloatAbi?: 'hard' | 'soft' | 'unspecified';
  /** The program interpreter (dynamic loader) named by PT_INTERP, such as `/lib64/ld-linux-x86-64.so.2`. */
  readonly interpreter?: string;
  /** True when the file has a PT_INTERP or a PT_DYNAMIC segment. */
  readonly isDynamic: boolean;
  /** True for an executable or shared object with neither PT_INTERP nor PT_DYNAMIC. */
  readonly isStatic: boolean;
  /**
   * False for ET_EXEC; true for ET_DYN with a PT_INTERP (a position-independent executable);
   * absent otherwise (ET_DYN without PT_INTERP is a shared library or a static-pie, which only
   * the dynamic section tells apart).
   */
  readonly isPie?: boolean;
  readonly programHeaders: readonly ProgramHeader[];
}
