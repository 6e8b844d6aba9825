import { describe, expect, it } from 'vitest';
import { checkStarted, withoutRuntimeTrace, withRuntimeTrace } from './start-check';

const TRACE =
  'init internal/bytealg @0 ms, 0 ms clock, 0 bytes, 0 allocs\ninit runtime @0.038 ms, 0.085 ms clock, 0 bytes, 0 allocs\n';

describe('checkStarted', () => {
  it.each([
    [
      'a flag CLI rejecting --version',
      { exitCode: 2, stderr: `${TRACE}flag provided but not defined: -version\nUsage of x:\n` },
    ],
    ['a cobra CLI', { exitCode: 1, stderr: `${TRACE}Error: unknown flag: --version\n` }],
    [
      'a program without its config',
      { exitCode: 1, stderr: `${TRACE}2026/12/06 config.yaml: no such file\n` },
    ],
    [
      'a server stopped at the deadline',
      { exitCode: -1, stderr: TRACE, signal: 'SIGTERM', timedOut: true },
    ],
    ['a version printed', { exitCode: 0, stderr: TRACE }],
  ])('passes %s', (_name, output) => {
    expect(checkStarted({ stdout: '', ...output })).toEqual({ ok: true });
  });

  it.each([
    [
      'qemu: another architecture',
      {
        exitCode: 255,
        stderr: 'qemu-aarch64-static: /x: Invalid ELF image for this architecture\n',
      },
      /the Go runtime did not start.*Invalid ELF image/s,
    ],
    [
      'qemu: loader missing',
      {
        exitCode: 255,
        stderr:
          "qemu-aarch64-static: Could not open '/lib/ld-linux-aarch64.so.1': No such file or directory\n",
      },
      /did not start/,
    ],
    [
      'the runtime refuses the CPU',
      {
        exitCode: 1,
        stderr:
          'This program can only be run on AMD64 processors with v3 microarchitecture support.\n',
      },
      /did not start/,
    ],
    [
      'a panic in init',
      { exitCode: 2, stderr: `${TRACE}panic: cannot start\n\ngoroutine 1 [running]:\n` },
      /crashed at start \(panic:/,
    ],
    [
      'a fatal error',
      { exitCode: 2, stderr: `${TRACE}fatal error: all goroutines are asleep - deadlock!\n` },
      /crashed at start \(fatal error:/,
    ],
    [
      'SIGILL turned into a trace',
      { exitCode: 2, stderr: `${TRACE}SIGILL: illegal instruction\nPC=0x46\n` },
      /crashed at start \(SIGILL:/,
    ],
    [
      'killed by SIGILL',
      { exitCode: 132, stderr: TRACE, signal: 'SIGILL' },
      /killed by SIGILL .*instructions/,
    ],
    [
      'silent until the deadline (no runtime)',
      { exitCode: -1, stderr: '', signal: 'SIGTERM', timedOut: true },
      /still running at the deadline before the runtime/,
    ],
  ])('fails %s', (_name, output, reason) => {
    const verdict = checkStarted({ stdout: '', ...output });
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(reason);
  });
});

describe('the runtime trace', () => {
  it('is added to GODEBUG, after any the image sets', () => {
    expect(withRuntimeTrace({ PATH: '/bin' })).toEqual({ PATH: '/bin', GODEBUG: 'inittrace=1' });
    expect(withRuntimeTrace({ GODEBUG: 'http2client=0' }).GODEBUG).toBe(
      'http2client=0,inittrace=1',
    );
  });

  it('is left out of what the program printed', () => {
    expect(withoutRuntimeTrace(`${TRACE}Error: unknown flag`)).toBe('Error: unknown flag');
  });
});
