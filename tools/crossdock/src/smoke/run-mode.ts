import {
  formatPlatform,
  isNativeOn,
  qemuCpu,
  qemuUserStaticBinary,
  type Platform,
} from '@crossdock/platform';

/**
 * How one platform's entrypoint is run: natively (the host's own architecture), under a
 * qemu-user binary, or not at all, with the reason. `skip` says whether "not at all" is a
 * loud skip (a developer machine) or a failure (CI).
 */
export type RunMode =
  | { readonly kind: 'native'; readonly note?: string }
  | { readonly kind: 'emulated'; readonly qemu: string; readonly cpu?: string }
  | { readonly kind: 'unavailable'; readonly skip: boolean; readonly reason: string };

/** What the run-mode decision depends on; everything is passed in, nothing is looked up here. */
export interface RunModeInput {
  readonly platform: Platform;
  /** The machine smoke runs on (platformFromNode(process.arch, process.platform) at the edge). */
  readonly host: Platform;
  /** True under CI=true: a platform that cannot run fails instead of being skipped. */
  readonly ci: boolean;
  /** The absolute path of a program on the PATH, or undefined when it is not installed. */
  readonly findProgram: (name: string) => string | undefined;
}

/** Why linux/386 is never emulated: Debian 12's qemu-i386 (7.2) crashes Go 1.26 386 binaries. */
export const QEMU_I386_BROKEN =
  'qemu-i386 crashes Go 386 binaries ("fatal error: morestack on g0"), so linux/386 is never emulated';

/** The value of the CI environment variable that makes an unrunnable platform a failure. */
export function isCi(value: string | undefined): boolean {
  return value === 'true';
}

/**
 * Decides how to run a platform's entrypoint. Native when isNativeOn(platform, host); linux/386
 * natively on a linux/amd64 host (its kernel's IA32 emulation runs it; qemu-i386 cannot); every
 * other foreign platform under qemuUserStaticBinary(platform) with qemuCpu(platform) as `-cpu`
 * (so a v7 binary dies on a v6 CPU). Without the qemu binary, or for linux/386 elsewhere, the
 * platform is unavailable: skipped locally, a failure when `ci`.
 */
export function decideRunMode(input: RunModeInput): RunMode {
  const { platform, host, ci } = input;
  const name = formatPlatform(platform);
  const unavailable = (reason: string): RunMode => ({
    kind: 'unavailable',
    skip: !ci,
    reason: ci
      ? `${reason} (CI=true: a platform that cannot be smoke-tested fails the smoke target)`
      : reason,
  });
  if (isNativeOn(platform, host)) return { kind: 'native' };
  if (platform.os === 'linux' && platform.architecture === '386') {
    if (host.os === 'linux' && host.architecture === 'amd64')
      return { kind: 'native', note: '32-bit, on the amd64 kernel' };
    return unavailable(
      `${name} cannot be smoke-tested on a ${formatPlatform(host)} host: ${QEMU_I386_BROKEN}; ` +
        'only a linux/amd64 kernel with IA32 emulation runs them. Run smoke for linux/386 on such a machine, or remove linux/386 from platforms',
    );
  }
  const qemuName = qemuUserStaticBinary(platform);
  const qemu = input.findProgram(qemuName);
  if (qemu === undefined) {
    return unavailable(
      `no ${qemuName} on the PATH to emulate ${name} on this ${formatPlatform(host)} host; ` +
        'install qemu-user-static (Debian/Ubuntu: apt-get install qemu-user-static)',
    );
  }
  const cpu = qemuCpu(platform);
  return cpu === undefined ? { kind: 'emulated', qemu } : { kind: 'emulated', qemu, cpu };
}

/**
 * A short label of a run mode for tables: `native`, `emulated (qemu-aarch64-static)`,
 * `emulated (qemu-arm-static -cpu cortex-a7)`, `skipped` or `not run`.
 */
export function runModeLabel(mode: RunMode): string {
  switch (mode.kind) {
    case 'native':
      return mode.note === undefined ? 'native' : `native (${mode.note})`;
    case 'emulated':
      return `emulated (${mode.qemu.split('/').pop()}${mode.cpu === undefined ? '' : ` -cpu ${mode.cpu}`})`;
    case 'unavailable':
      return mode.skip ? 'skipped' : 'not run';
  }
}
