import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { formatPlatform } from '@crossdock/platform';
import { CommandError, tail, type Runner } from '../../support/process/runner';
import { goBuildArgs, goBuildEnv, type GoBuildSpec } from './go-build';
import { isProcessAlive } from '../../support/files/process-alive';
import { CrossdockError } from '../../support/crossdock-error';

/** A Go compile that failed: names the project and platform and carries the compiler's message. */
export class CompileError extends CrossdockError {
  constructor(
    readonly project: string,
    readonly platform: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    // One line when the detail is one line; else the summary line first, the compiler's output after it.
    super(
      `${project}: go build for ${platform} failed${detail.includes('\n') ? ':\n' : ': '}${detail}`,
      options,
    );
    this.name = 'CompileError';
  }
}

/** One compile request: where to run go, what to build, where the binary goes. */
export interface CompileRequest {
  readonly project: string;
  readonly cwd: string;
  readonly output: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly spec: Omit<GoBuildSpec, 'output'>;
}

/**
 * Runs `go build` for one platform. The binary is written beside its final path and
 * renamed into place, so an interrupted build never leaves a half-written binary.
 */
export async function compileForPlatform(
  runner: Runner,
  request: CompileRequest,
): Promise<{ durationMs: number; size: number }> {
  const partial = `${request.output}.partial-${process.pid}`;
  const spec: GoBuildSpec = { ...request.spec, output: partial };
  // The file system calls around the build are synchronous (each takes microseconds): on
  // libuv's thread pool they would wait behind the image's gzip jobs in the same process, and
  // so would the go build and the next compile.
  mkdirSync(dirname(request.output), { recursive: true });
  await removeStalePartials(request.output);
  try {
    const result = await runner.run('go', goBuildArgs(spec), {
      cwd: request.cwd,
      env: goBuildEnv(spec, request.env),
      extendEnv: false,
    });
    renameSync(partial, request.output);
    return { durationMs: result.durationMs, size: statSync(request.output).size };
  } catch (error) {
    await rm(partial, { force: true });
    const platform = formatPlatform(request.spec.platform);
    if (error instanceof CommandError) {
      if (error.notFound) {
        throw new CompileError(
          request.project,
          platform,
          'go was not found on PATH; install Go (https://go.dev/dl/) and put its bin directory on the PATH nx runs with (e.g. export PATH="$PATH:/usr/local/go/bin")',
          { cause: error },
        );
      }
      const detail = error.exitCode === undefined ? error.message : tail(error.stderrTail, 40);
      throw new CompileError(request.project, platform, detail, { cause: error });
    }
    throw error;
  }
}

/**
 * Removes `<binary>.partial-<pid>` files of compiles that were killed (their process is
 * gone), so an interrupted build leaves nothing in the output directory once rerun.
 */
async function removeStalePartials(output: string): Promise<void> {
  const pattern = new RegExp(
    `^${basename(output).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.partial-(\\d+)$`,
  );
  for (const name of readdirSync(dirname(output))) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (pid > 0 && pid !== process.pid && !isProcessAlive(pid))
      await rm(join(dirname(output), name), { force: true });
  }
}
