import { PlatformError } from './errors';
import { normalizePlatform } from './normalize';
import { makePlatform, type Platform } from './platform';

/**
 * Whether executables for `platform` run on `host` without emulation. Strict: same os and
 * same architecture only (a linux/386 binary on an amd64 host, or linux/arm on an arm64
 * host, counts as foreign even where the CPU could run it). For arm the host's level must
 * be at least the platform's (an arm/v7 host runs v5, v6 and v7). amd64 levels are not
 * compared: a host platform does not record its CPU's microarchitecture level.
 */
export function isNativeOn(platform: Platform, host: Platform): boolean {
  const target = normalizePlatform(platform);
  const machine = normalizePlatform(host);
  if (target.os !== machine.os || target.architecture !== machine.architecture) return false;
  if (target.architecture !== 'arm') return true;
  return armLevel(target) <= armLevel(machine);
}

function armLevel(platform: Platform): number {
  const match = /^v(\d+)$/.exec(platform.variant ?? '');
  return match ? Number(match[1]) : Number.POSITIVE_INFINITY;
}

/**
 * Node's `process.arch` values and the platform architecture each stands for. Node does not
 * tell the arm level, so `arm` is taken as arm/v7 (Node's own minimum on Linux). `ppc64` is
 * ppc64le on Linux (Node supports only little-endian POWER there) and ppc64 elsewhere (AIX).
 */
export const NODE_ARCHITECTURES: Readonly<
  Record<string, { readonly architecture: string; readonly variant?: string }>
> = Object.freeze({
  x64: { architecture: 'amd64' },
  arm64: { architecture: 'arm64' },
  arm: { architecture: 'arm', variant: 'v7' },
  ia32: { architecture: '386' },
  ppc64: { architecture: 'ppc64le' },
  s390x: { architecture: 's390x' },
  riscv64: { architecture: 'riscv64' },
  loong64: { architecture: 'loong64' },
  mips: { architecture: 'mips' },
  mipsel: { architecture: 'mipsle' },
  ppc: { architecture: 'ppc' },
  s390: { architecture: 's390' },
});

/** Node's `process.platform` values and the GOOS each stands for. */
export const NODE_OSES: Readonly<Record<string, string>> = Object.freeze({
  linux: 'linux',
  darwin: 'darwin',
  win32: 'windows',
  freebsd: 'freebsd',
  openbsd: 'openbsd',
  netbsd: 'netbsd',
  aix: 'aix',
  sunos: 'solaris',
  android: 'android',
  cygwin: 'windows',
});

/**
 * The platform described by Node's `process.arch` and `process.platform` values, passed in
 * by the caller (this library never reads them): ('x64', 'linux') → linux/amd64,
 * ('arm', 'linux') → linux/arm/v7, ('arm64', 'darwin') → darwin/arm64. The result names the
 * host, which need not be a platform crossdock builds for. Throws PlatformError for a value
 * Node does not use.
 */
export function platformFromNode(arch: string, os: string): Platform {
  const input = `${os}/${arch}`;
  if (!Object.hasOwn(NODE_OSES, os)) {
    const valid = Object.keys(NODE_OSES);
    throw new PlatformError(
      input,
      'os',
      `Node platform ${JSON.stringify(os)} is not one of ${valid.join(', ')}`,
      valid,
    );
  }
  if (!Object.hasOwn(NODE_ARCHITECTURES, arch)) {
    const valid = Object.keys(NODE_ARCHITECTURES);
    throw new PlatformError(
      input,
      'architecture',
      `Node arch ${JSON.stringify(arch)} is not one of ${valid.join(', ')}`,
      valid,
    );
  }
  const goos = NODE_OSES[os]!;
  const { architecture, variant } = NODE_ARCHITECTURES[arch]!;
  const bigEndianPower = architecture === 'ppc64le' && goos !== 'linux';
  return makePlatform(goos, bigEndianPower ? 'ppc64' : architecture, variant);
}
