/**
 * The operating systems crossdock builds images for. Container images run on a Linux
 * kernel, so this is linux alone; other Go ports are recognised only to explain that.
 */
export const SUPPORTED_OSES: readonly string[] = Object.freeze(['linux']);

/**
 * The CPU architectures crossdock builds for, in the order messages list them. Each is a
 * GOARCH value and an OCI `architecture` value alike.
 */
export const SUPPORTED_ARCHITECTURES: readonly string[] = Object.freeze([
  'amd64',
  'arm64',
  'arm',
  '386',
  'ppc64le',
  's390x',
  'riscv64',
  'mips64le',
  'loong64',
]);

/** How one architecture's `variant` may be written and what each spelling means. */
export interface VariantRule {
  /** The variants a message lists as valid. */
  readonly valid: readonly string[];
  /** Every accepted spelling (lower case; '' = none given) → canonical variant ('' = omitted). */
  readonly spellings: Readonly<Record<string, string>>;
  /** Spellings refused with a reason of their own. */
  readonly rejected: Readonly<Record<string, string>>;
  /** The reason given for any other spelling. */
  readonly otherwise: string;
}

const NO_GOARM_8 =
  'Go has no GOARM=8 (an ARMv8 CPU runs 64-bit code); write linux/arm64, or linux/arm/v7 for a 32-bit userland';

const noVariants = (architecture: string): VariantRule => ({
  valid: [],
  spellings: { '': '' },
  rejected: {},
  otherwise: `architecture ${architecture} has no variants; write linux/${architecture}`,
});

/**
 * The variant rules per architecture, after containerd's normalizeArch:
 * - amd64: GOAMD64 levels. v1 is the baseline and is written as plain amd64 (as BuildKit
 *   and containerd do); v2..v4 are kept and become GOAMD64.
 * - arm64: only the ARMv8.0 baseline, written without a variant (v8, v8.0 and 8 are
 *   dropped). Go could target later levels through GOARM64, but arm64 images are published
 *   without a variant and a v9 binary would crash on most arm64 machines, so v9 and v8.x
 *   are refused rather than silently built for v8.0.
 * - arm: GOARM levels 5, 6 and 7, with or without the `v`; no variant means v7, the
 *   Docker convention. v8 is refused: Go has no GOARM=8 (an ARMv8 CPU runs linux/arm64).
 * - everything else: no variants.
 */
export const VARIANT_RULES: Readonly<Record<string, VariantRule>> = Object.freeze({
  amd64: {
    valid: ['v1', 'v2', 'v3', 'v4'],
    spellings: {
      '': '',
      v1: '',
      '1': '',
      v2: 'v2',
      '2': 'v2',
      v3: 'v3',
      '3': 'v3',
      v4: 'v4',
      '4': 'v4',
    },
    rejected: {},
    otherwise: 'GOAMD64 levels are v1 to v4, and v1 is written as plain linux/amd64',
  },
  arm64: {
    valid: ['v8'],
    spellings: { '': '', v8: '', '8': '', 'v8.0': '', '8.0': '' },
    rejected: {},
    otherwise:
      'crossdock builds arm64 for the ARMv8.0 baseline (GOARM64=v8.0) that every arm64 CPU runs, ' +
      'published without a variant; write linux/arm64',
  },
  arm: {
    valid: ['v5', 'v6', 'v7'],
    spellings: { '': 'v7', v5: 'v5', '5': 'v5', v6: 'v6', '6': 'v6', v7: 'v7', '7': 'v7' },
    rejected: {
      v8: NO_GOARM_8,
      '8': NO_GOARM_8,
    },
    otherwise: 'GOARM is 5, 6 or 7; write linux/arm/v5, linux/arm/v6 or linux/arm/v7',
  },
  '386': noVariants('386'),
  ppc64le: noVariants('ppc64le'),
  s390x: noVariants('s390x'),
  riscv64: noVariants('riscv64'),
  mips64le: noVariants('mips64le'),
  loong64: noVariants('loong64'),
});

/**
 * Architecture names that are recognised but refused, each with the reason. Anything else
 * unknown gets the generic "is not one of" message.
 */
export const REJECTED_ARCHITECTURES: Readonly<Record<string, string>> = Object.freeze({
  ppc64: 'big-endian 64-bit POWER is not a crossdock target; Linux images for POWER are ppc64le',
  ppc: 'Go has no 32-bit POWER port; Linux images for POWER are ppc64le',
  mips: '32-bit MIPS is not a crossdock target; the MIPS target is mips64le',
  mipsle: '32-bit MIPS is not a crossdock target; the MIPS target is mips64le',
  mips64: 'big-endian 64-bit MIPS is not a crossdock target; the MIPS target is mips64le',
  s390: 'Go has no 31-bit s390 port; write s390x',
  riscv: 'Go has no 32-bit RISC-V port; write riscv64',
  riscv32: 'Go has no 32-bit RISC-V port; write riscv64',
  arm64be: 'Go has no big-endian ARM port; write arm64',
  aarch64_be: 'Go has no big-endian ARM port; write arm64',
  armbe: 'Go has no big-endian ARM port; write arm',
  armeb: 'Go has no big-endian ARM port; write arm',
  wasm: 'WebAssembly is not a CPU that a Linux container runs on',
});
