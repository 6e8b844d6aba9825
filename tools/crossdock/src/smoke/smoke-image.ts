import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type ImageIndex } from '@crossdock/oci';
import { OciLayoutError } from '@crossdock/oci-layout';
import { formatPlatform, platformSlug, type Platform } from '@crossdock/platform';
import { CommandError, type Runner } from '../support/process/runner';
import { formatDuration } from '../support/report/format';
import type { Reporter } from '../support/report/reporter';
import { CorruptLayoutError } from '../support/files/corrupt-layout-error';
import { formatCommandLine, smokeCommandLine } from './command-line';
import { checkSmokeOutput, expectedPattern, firstOutputLine } from './expect';
import type { PlatformSmokeResult, SmokeReport } from './report';
import { assembleRootfs, imageOf, readLayoutIndex } from './rootfs';
import { decideRunMode, QEMU_I386_BROKEN, runModeLabel, type RunMode } from './run-mode';
import { SmokeError } from './smoke-error';
import { checkStarted, withoutRuntimeTrace, withRuntimeTrace } from './start-check';

/** Everything a smoke run of one project's image needs, passed in by the executor (or a test). */
export interface SmokeRequest {
  readonly project: string;
  /** The OCI layout the image target wrote (absolute). */
  readonly layoutDir: string;
  readonly platforms: readonly Platform[];
  readonly smokeArgs: readonly string[];
  /** The smokeExpect option: a regular expression with {os}, {arch}, {variant}; empty = no check. */
  readonly smokeExpect: string;
  /**
   * How a run is judged: `started` (the default smoke: the Go runtime came up, see
   * start-check.ts) or `strict` (exit 0 and smokeExpect; when smokeArgs or smokeExpect is set).
   */
  readonly check?: 'started' | 'strict';
  readonly timeoutMs: number;
  /** The machine this runs on: platformFromNode(process.arch, process.platform) at the edge. */
  readonly host: Platform;
  /** CI=true: a platform that cannot run fails instead of being skipped. */
  readonly ci: boolean;
  /** Locates a program (qemu-*-static) on the PATH; undefined when absent. */
  readonly findProgram: (name: string) => string | undefined;
  readonly runner: Runner;
  readonly reporter: Reporter;
  /** Where the temporary root filesystems go (absolute), e.g. os.tmpdir(). */
  readonly scratchDir: string;
}

/**
 * Smoke-tests every platform of a project's image: assembles the platform's root filesystem
 * from the OCI layout in a temporary directory, runs the entrypoint with the smoke arguments
 * and the image's Env (natively for the host's platform, under qemu-user otherwise), and
 * checks the exit code and the output. Platforms run one after another, so the times are
 * comparable. Throws SmokeError only when the layout cannot be read; a platform's failure
 * is a result.
 */
export async function smokeImage(request: SmokeRequest): Promise<SmokeReport> {
  const { project, layoutDir } = request;
  let index: ImageIndex;
  try {
    index = await readLayoutIndex(layoutDir);
  } catch (error) {
    throw new SmokeError(
      project,
      '',
      `${project}: cannot read the image at ${layoutDir}: ${(error as Error).message}; build it first: nx run ${project}:image`,
      { cause: error },
    );
  }
  const scratch = await mkdtemp(join(request.scratchDir, `crossdock-smoke-${project}-`));
  const results: PlatformSmokeResult[] = [];
  try {
    for (const platform of request.platforms) {
      const result = await smokePlatform(
        request,
        index,
        platform,
        join(scratch, platformSlug(platform)),
      );
      results.push(result);
      const time = result.durationMs === undefined ? '' : `  ${formatDuration(result.durationMs)}`;
      if (result.status === 'skipped')
        request.reporter.warn(`${result.platform}: SKIPPED, not smoke-tested: ${result.message}`);
      else
        request.reporter.step(
          `${result.platform}  ${result.mode}  ${result.status === 'passed' ? 'passed' : 'FAILED'}${time}`,
        );
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return {
    project,
    indexDigest: index.digest,
    host: formatPlatform(request.host),
    smokeArgs: [...request.smokeArgs],
    results,
    passed: results.every((r) => r.status !== 'failed'),
  };
}

async function smokePlatform(
  request: SmokeRequest,
  index: ImageIndex,
  platform: Platform,
  dir: string,
): Promise<PlatformSmokeResult> {
  const name = formatPlatform(platform);
  const mode = decideRunMode({
    platform,
    host: request.host,
    ci: request.ci,
    findProgram: request.findProgram,
  });
  const label = runModeLabel(mode);
  const pattern = expectedPattern(request.smokeExpect, platform);
  const base = {
    platform: name,
    mode: label,
    ...(pattern === undefined ? {} : { expect: pattern.source }),
  };
  if (mode.kind === 'unavailable')
    return {
      ...base,
      status: mode.skip ? 'skipped' : 'failed',
      firstLine: '',
      message: mode.reason,
    };
  const failed = (
    message: string,
    extra: Partial<PlatformSmokeResult> = {},
  ): PlatformSmokeResult => ({ ...base, status: 'failed', firstLine: '', ...extra, message });

  const image = imageOf(index, platform);
  if (image === undefined) {
    const present = index.manifests
      .map(
        (d) =>
          d.platform &&
          [d.platform.os, d.platform.architecture, d.platform.variant].filter(Boolean).join('/'),
      )
      .join(', ');
    return failed(
      `the image index has no ${name} manifest (it has ${present}); rebuild it: nx run ${request.project}:image`,
    );
  }
  try {
    const rootfs = await assembleRootfs(image, dir).catch((error: Error) => {
      // A blob missing or altered in dist/images fails every platform: the whole run stops, saying so.
      if (error instanceof OciLayoutError)
        throw new CorruptLayoutError(request.project, request.layoutDir, error);
      throw new SmokeError(
        request.project,
        name,
        `cannot assemble the root filesystem: ${error.message}`,
        { cause: error },
      );
    });
    const line = smokeCommandLine({
      mode,
      rootfs: rootfs.dir,
      program: rootfs.program,
      args: [...rootfs.entrypoint.slice(1), ...request.smokeArgs],
    });
    const command = formatCommandLine(line);
    const started = performance.now();
    const startCheck = request.check === 'started';
    try {
      const output = await request.runner.run(line.command, line.args, {
        cwd: rootfs.cwd,
        env: startCheck ? withRuntimeTrace(rootfs.env) : rootfs.env,
        extendEnv: false,
        input: '',
        timeoutMs: request.timeoutMs,
        allowFailure: true,
        allowTimeout: startCheck,
      });
      const result = {
        ...base,
        // A program stopped at the deadline has no exit code of its own.
        ...(output.timedOut ? {} : { exitCode: output.exitCode }),
        durationMs: output.durationMs,
        firstLine:
          firstOutputLine(
            startCheck ? { ...output, stderr: withoutRuntimeTrace(output.stderr) } : output,
          ) ||
          (output.timedOut ? `(still running after ${request.timeoutMs / 1000} s: stopped)` : ''),
        command,
      };
      const verdict = startCheck ? checkStarted(output) : checkSmokeOutput(output, pattern);
      return verdict.ok
        ? { ...result, status: 'passed' }
        : { ...result, status: 'failed', message: `${verdict.reason}${ia32Hint(mode)}` };
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      const durationMs = performance.now() - started;
      return failed(notRunMessage(error, mode, request.timeoutMs), {
        durationMs,
        command,
        firstLine: error.stderrTail.split('\n')[0] ?? '',
      });
    }
  } catch (error) {
    if (error instanceof SmokeError) return failed(error.message);
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Why a program did not finish: a timeout, or a start failure. */
function notRunMessage(error: CommandError, mode: RunMode, timeoutMs: number): string {
  if (error.message.includes('timed out')) {
    return `the entrypoint did not exit within ${timeoutMs / 1000} s (smokeTimeoutSeconds): set smokeArgs to arguments that make it exit (such as --version), or raise smokeTimeoutSeconds for a slow emulated start`;
  }
  return `the entrypoint could not be started: ${error.message}${ia32Hint(mode)}`;
}

/**
 * For linux/386 run natively on an amd64 kernel: a kernel without IA32 emulation cannot exec
 * it at all (the exec fails, and Node falls back to /bin/sh, which exits 127 or 2 with junk).
 */
function ia32Hint(mode: RunMode): string {
  if (mode.kind !== 'native' || mode.note === undefined) return '';
  return (
    '. If this kernel has no IA32 emulation (CONFIG_IA32_EMULATION, ia32_emulation=0) it cannot run linux/386 binaries, ' +
    `and ${QEMU_I386_BROKEN}: linux/386 cannot be smoke-tested on this machine; run it on an amd64 Linux kernel with IA32 emulation`
  );
}
