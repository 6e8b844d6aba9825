import { join } from 'node:path';
import { formatPlatform, parsePlatform } from '@crossdock/platform';
import { compileForPlatform } from '../../build/compile';
import { resolveCBuild } from '../../cgo/resolve-c-build';
import { crossdockCacheRoot } from '../../cgo/cache-root';
import { withCBuildProgress } from '../../cgo/zig-libc';
import { checkMainPackage } from '../../build/main-package';
import { formatBytes, formatDuration } from '../../report/format';
import { execaRunner } from '../../process/runner';
import { binaryPath } from '../../workspace/dist-paths';
import { taskExecutor, type TaskContext } from '../../nx/executor-context';
import { OPTION_SPECS } from '../../options/option-specs';

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

/** The options with the option table's defaults filled in (inferred targets set them all; a hand-written target may not). */
function withDefaults(options: CompileExecutorOptions): Required<CompileExecutorOptions> {
  const spec = OPTION_SPECS;
  return {
    platform: options.platform,
    binary: options.binary,
    main: options.main ?? spec.main.default,
    version: options.version ?? spec.version.default,
    ldflags: options.ldflags ?? spec.ldflags.default,
    buildTags: options.buildTags ?? spec.buildTags.default,
    cgo: options.cgo ?? spec.cgo.default,
    libc: options.libc ?? spec.libc.default,
    cc: options.cc ?? spec.cc.default,
    cxx: options.cxx ?? spec.cxx.default,
    cgoCflags: options.cgoCflags ?? spec.cgoCflags.default,
    cgoLdflags: options.cgoLdflags ?? spec.cgoLdflags.default,
  };
}

/** Cross-compiles one app for one platform into dist/bin/<project>/<os>/<arch>[/<variant>]/<binary>. */
export default taskExecutor(compileTask);

/** One compile task (of the executor, or of the batch in batch.ts); false when it failed, said through the reporter. */
export async function compileTask(
  given: CompileExecutorOptions,
  { workspaceRoot, project: name, projectRoot: root, reporter }: TaskContext,
): Promise<boolean> {
  try {
    const options = withDefaults(given);
    const platform = parsePlatform(options.platform);
    checkMainPackage(name, workspaceRoot, root, options.main);
    const output = binaryPath(workspaceRoot, name, platform, options.binary);
    const cgo = options.cgo;
    const progress = (line: string) => (reporter.progress ?? reporter.step)(line);
    const c = cgo
      ? await resolveCBuild(execaRunner, platform, options, process.env, progress)
      : undefined;
    const compile = () =>
      compileForPlatform(execaRunner, {
        project: name,
        cwd: join(workspaceRoot, root),
        output,
        env: process.env,
        spec: {
          platform,
          main: options.main,
          version: options.version,
          ldflags: options.ldflags,
          buildTags: options.buildTags,
          cgo,
          ...(c ? { c } : {}),
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
