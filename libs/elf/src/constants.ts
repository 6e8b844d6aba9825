// Numeric constants from the System V ABI (gABI) and the ARM ELF supplement, named as
// in <elf.h> so they can be looked up there. Internal: index.ts does not re-export them.

/** The four magic bytes at the start of every ELF file: `\x7fELF`. */
export const ELF_MAGIC: readonly number[] = [0x7f, 0x45, 0x4c, 0x46];

/** Offset of the class byte (32/64-bit) in e_ident. */
export const EI_CLASS = 4;
/** Offset of the data byte (byte order) in e_ident. */
export const EI_DATA = 5;
/** Offset of the ELF version byte in e_ident. */
export const EI_VERSION = 6;
/** Offset of the OS ABI byte in e_ident. */
export const EI_OSABI = 7;
/** Offset of the ABI version byte in e_ident. */
export const EI_ABIVERSION = 8;
/** The size of e_ident. */
export const EI_NIDENT = 16;

/** EI_CLASS value for 32-bit objects. */
export const ELFCLASS32 = 1;
/** EI_CLASS value for 64-bit objects. */
export const ELFCLASS64 = 2;
/** EI_DATA value for little-endian (LSB) objects. */
export const ELFDATA2LSB = 1;
/** EI_DATA value for big-endian (MSB) objects. */
export const ELFDATA2MSB = 2;
/** The only ELF version there is, in e_ident and e_version. */
export const EV_CURRENT = 1;

/** e_type: relocatable object. */
export const ET_REL = 1;
/** e_type: executable at a fixed address. */
export const ET_EXEC = 2;
/** e_type: shared object or position-independent executable. */
export const ET_DYN = 3;
/** e_type: core dump. */
export const ET_CORE = 4;

/** p_type: the dynamic linking information segment. */
export const PT_DYNAMIC = 2;
/** p_type: the program interpreter (dynamic loader) path. */
export const PT_INTERP = 3;

/** e_phnum value meaning "the real count is in sh_info of section header 0". */
export const PN_XNUM = 0xffff;

/** e_machine of 32-bit ARM. */
export const EM_ARM = 40;
/** ARM e_flags: the EABI version lives in the top byte. */
export const EF_ARM_EABIMASK = 0xff000000;
/** ARM e_flags: the soft-float procedure call standard (armel). */
export const EF_ARM_ABI_FLOAT_SOFT = 0x200;
/** ARM e_flags: the hard-float (VFP register) procedure call standard (armhf). */
export const EF_ARM_ABI_FLOAT_HARD = 0x400;

/** The kernel's PATH_MAX, the longest PT_INTERP it accepts (fs/binfmt_elf.c). */
export const INTERP_MAX = 4096;
