import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { formatPlatform } from '@crossdock/platform';
import { CommandError, tail, type Runner } from '../process/runner';
import { goBuildArgs, goBuildEnv, type GoBuildSpec } from './go-build';

/** A Go compile that failed: names the project and platform and carries the compiler's message. */
export class CompileError extends Error {
  constructor(readonly project: string, readonly platform: string, detail: string, options?: { cause?: unknown }) {
    super(`${project}: go build for ${platform} failed:\n${detail}`, options);
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
export async function compileForPlatform(runner: Runner, request: CompileRequest): Promise<{ durationMs: number; size: number }> {
  const partial = `${request.output}.partial-${process.pid}`;
  const spec: GoBuildSpec = { ...request.spec, output: partial };
  await mkdir(dirname(request.output), { recursive: true });
  try {
    const result = await runner.run('go', goBuildArgs(spec), { cwd: request.cwd, env: goBuildEnv(spec, request.env), extendEnv: false });
    await rename(partial, request.output);
    return { durationMs: result.durationMs, size: (await stat(request.output)).size };
  } catch (error) {
    await rm(partial, { force: true });
    const platform = formatPlatform(request.spec.platform);
    if (error instanceof CommandError) {
      const detail = error.exitCode === undefined ? error.message : tail(error.stderrTail, 40);
      throw new CompileError(request.project, platform, detail, { cause: error });
    }
    throw error;
  }
}
