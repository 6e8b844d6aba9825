import { describe, expect, it } from 'vitest';
import { formatCommandLine, smokeCommandLine } from './command-line';

describe('smokeCommandLine', () => {
  const rootfs = '/tmp/smoke/linux-arm-v7';
  const program = `${rootfs}/usr/local/bin/hello`;

  it('runs a native entrypoint straight from the root filesystem', () => {
    expect(
      smokeCommandLine({ mode: { kind: 'native' }, rootfs, program, args: ['--version'] }),
    ).toEqual({ command: program, args: ['--version'] });
  });

  it('runs a foreign one under qemu with the rootfs as library prefix and the platform CPU', () => {
    expect(
      smokeCommandLine({
        mode: { kind: 'emulated', qemu: '/usr/bin/qemu-arm-static', cpu: 'cortex-a7' },
        rootfs,
        program,
        args: ['serve', '--version'],
      }),
    ).toEqual({
      command: '/usr/bin/qemu-arm-static',
      args: ['-L', rootfs, '-cpu', 'cortex-a7', program, 'serve', '--version'],
    });
  });

  it('gives no -cpu when the platform has no CPU model', () => {
    expect(
      smokeCommandLine({
        mode: { kind: 'emulated', qemu: '/usr/bin/qemu-aarch64-static' },
        rootfs,
        program,
        args: [],
      }).args,
    ).toEqual(['-L', rootfs, program]);
  });

  it('formats a command line readably, quoting arguments with spaces', () => {
    expect(formatCommandLine({ command: '/bin/app', args: ['--name', 'a b', '--x=1'] })).toBe(
      '/bin/app --name "a b" --x=1',
    );
  });
});
