/** What an architecture alias stands for; `variant` is set when the alias implies one. */
export interface ArchitectureAlias {
  readonly architecture: string;
  readonly variant?: string;
  /** Where the spelling comes from, for the reader of this table. */
  readonly source: string;
}

/**
 * Other spellings of the supported architectures: containerd's aliases, Debian's
 * architecture names and `uname -m` output. Keys are lower case.
 *
 * Note `armel`: containerd and Docker map it to arm/v6, and so does crossdock, although
 * Debian's armel port targets ARMv5TE; for Debian armel userlands write linux/arm/v5.
 */
export const ARCHITECTURE_ALIASES: Readonly<Record<string, ArchitectureAlias>> = Object.freeze({
  x86_64: { architecture: 'amd64', source: 'containerd, uname -m' },
  'x86-64': { architecture: 'amd64', source: 'containerd' },
  aarch64: { architecture: 'arm64', source: 'containerd, uname -m' },
  armhf: { architecture: 'arm', variant: 'v7', source: 'containerd, Debian' },
  armel: { architecture: 'arm', variant: 'v6', source: 'containerd' },
  armv7l: { architecture: 'arm', variant: 'v7', source: 'uname -m' },
  armv7: { architecture: 'arm', variant: 'v7', source: 'uname -m without the l' },
  armv6l: { architecture: 'arm', variant: 'v6', source: 'uname -m' },
  armv6: { architecture: 'arm', variant: 'v6', source: 'uname -m without the l' },
  armv5tel: { architecture: 'arm', variant: 'v5', source: 'uname -m' },
  armv5l: { architecture: 'arm', variant: 'v5', source: 'uname -m' },
  armv5: { architecture: 'arm', variant: 'v5', source: 'uname -m without the l' },
  i386: { architecture: '386', source: 'containerd, Debian, uname -m' },
  i486: { architecture: '386', source: 'uname -m' },
  i586: { architecture: '386', source: 'uname -m' },
  i686: { architecture: '386', source: 'uname -m' },
  ppc64el: { architecture: 'ppc64le', source: 'Debian' },
  mips64el: { architecture: 'mips64le', source: 'Debian, qemu' },
  loongarch64: { architecture: 'loong64', source: 'uname -m, Debian' },
});

/** Other spellings of operating systems (containerd's `macos`). Keys are lower case. */
export const OS_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  macos: 'darwin',
});

/** Looks a key up in one of the tables above, ignoring inherited keys such as `constructor`. */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
