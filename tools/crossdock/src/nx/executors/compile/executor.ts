import { join } from 'node:path';
import { formatPlatform, parsePlatform } from '@crossdock/platform';
import { compileForPlatform } from '../../../go/compile/compile';
import { expandLdflags } from '../../../go/compile/expand-ldflags';
import { resolveCBuild } from '../../../go/cgo/resolve-c-build';
import { crossdockCacheRoot } from '../../../support/files/cache-root';
import { withCBuildProgress } from '../../../go/cgo/zig-libc';
import { checkMainPackage } from '../../../go/compile/main-package';
import { formatBytes, formatDuration } from '../../../support/report/format';
import { processRunner } from '../../../support/process/runner';
import { binaryPath } from '../../../support/workspace/dist-paths';
import { taskExecutor, type TaskContext } from '../../executor-context';
import { normalizeOptions } from '../../../options/normalize-options';

/** Options of the compile executor (set by the inferred compile--<platform> targets). */
export interface CompileExecutorOptions {
  readonly platform: string;
  readonly binary: string;
  readonly main?: string;
  readonly version?: string;
  readonly ldflags?: readonly string[];
  readonly buildTags?: readonly string[];
  readonly cgo?: boolean;
  /** The C toolchain of a cgo build (set only when cgo is true; see option-specs). */
  readonly libc?: 'musl' | 'glibc';
  readonly cc?: string;
  readonly cxx?: string;
  readonly cgoCflags?: readonly string[];
  readonly cgoLdflags?: readonly string[];
}

/** Cross-compiles one app for one platform into dist/bin/<project>/<os>/<arch>[/<variant>]/<binary>. */
export default taskExecutor(compileTask);

/** One compile task (of the executor, or of the batch in batch.ts); false when it failed, said through the reporter. */
export async function compileTask(
  given: CompileExecutorOptions,
  { workspaceRoot, project: name, projectRoot: root, reporter, cores }: TaskContext,
): Promise<boolean> {
  try {
    // The one normaliser: the table's defaults and checks (inferred targets set every key; a
    // hand-written target may not). `step` is the build executor's, passed through to here.
    const { platform: platformName, ...rest } = given;
    const options = normalizeOptions(
      name,
      [{ source: 'the compile target options', values: rest }],
      new Set(['step']),
    );
    const platform = parsePlatform(platformName);
    checkMainPackage(name, workspaceRoot, root, options.main);
    const output = binaryPath(workspaceRoot, name, platform, options.binary);
    const cgo = options.cgo;
    const progress = (line: string) => (reporter.progress ?? reporter.step)(line);
    const c = cgo
      ? await resolveCBuild(processRunner, platform, options, process.env, progress)
      : undefined;
    const stamped = await expandLdflags(processRunner, {
      workspaceRoot,
      project: name,
      platform,
      version: options.version,
      ldflags: options.ldflags,
      env: process.env,
    });
    const compile = () =>
      compileForPlatform(processRunner, {
        project: name,
        cwd: join(workspaceRoot, root),
        output,
        env: process.env,
        spec: {
          platform,
          main: options.main,
          version: stamped.version,
          ldflags: stamped.ldflags,
          buildTags: options.buildTags,
          cgo,
          ...(c ? { c } : {}),
          ...(cores === undefined ? {} : { cores }),
        },
      });
    // A cgo build with zig takes minutes the first time: say so while it runs.
    const result =
      c?.kind === 'zig'
        ? await withCBuildProgress(
            {
              cc: c.env['CC'] ?? '',
              platform,
              libc: options.libc,
              cacheRoot: crossdockCacheRoot(process.env),
              progress,
            },
            compile,
          )
        : await compile();
    const cNote = c ? `  (cgo, ${c.kind === 'zig' ? 'zig' : c.env['CC']}, ${options.libc})` : '';
    reporter.step(
      `${formatPlatform(platform)}  compiled in ${formatDuration(result.durationMs)}  ${formatBytes(result.size)}${cNote}`,
    );
    return true;
  } catch (error) {
    reporter.block(`[${name}] ${(error as Error).message}`);
    return false;
  }
}
