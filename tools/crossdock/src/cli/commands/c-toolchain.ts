import { parsePlatform } from '@crossdock/platform';
import { processRunner } from '../../support/process/runner';
import { crossdockCacheRoot } from '../../support/files/cache-root';
import { fillCompilerTemplate } from '../../go/cgo/c-toolchain';
import { ensureZig, findZig, ZIG_VERSION } from '../../go/cgo/zig';
import { UsageError, type CliCommand } from '../command';

const USAGE = `usage: crossdock c-toolchain [--install]
       crossdock c-toolchain --platform <os/arch[/variant]> --cc <template> [--cxx <template>] [--libc musl|glibc]

Prints the identity of the C toolchain a cgo build uses, one line per compiler: for zig,
"zig <version>" (the pinned ${ZIG_VERSION} when none is installed yet: that is what a build
installs); for a --cc/--cxx template, the filled command and its --version output. A runtime
input of cgo compile targets, so a new zig or compiler rebuilds them. It exits 0 even when a
compiler does not run ("unavailable: ..."); the compile reports the real error.

--install  find the zig crossdock uses, installing the pinned zig ${ZIG_VERSION} from PyPI
           (ziglang) into <cache>/zig-${ZIG_VERSION} when there is none; prints its path.
           The cache is CROSSDOCK_CACHE, else /var/cache/crossdock when writable, else
           ~/.cache/crossdock. tools/scripts/setup-test-env.sh runs it.`;

/** `crossdock c-toolchain`: the C toolchain's identity (an Nx runtime input), or installs zig. */
export const cToolchainCommand: CliCommand = {
  name: 'c-toolchain',
  summary:
    'print the C toolchain identity of cgo builds (an Nx runtime input); --install installs zig',
  usage: USAGE,
  async run(args, io) {
    const flags = parseFlags(args);
    const cacheRoot = crossdockCacheRoot(io.env);
    if (flags['install'] !== undefined) {
      const zig = await ensureZig(processRunner, {
        cacheRoot,
        env: io.env,
        progress: (line) => io.stderr.write(`crossdock: ${line}\n`),
      });
      io.stdout.write(`${zig.path}\n`);
      return 0;
    }
    if (flags['cc'] === undefined) {
      const zig = await findZig(processRunner, cacheRoot, io.env);
      io.stdout.write(`zig ${zig?.version ?? ZIG_VERSION}\n`);
      return 0;
    }
    const platformText = flags['platform'];
    if (platformText === undefined) throw new UsageError('--cc needs --platform');
    const platform = parsePlatform(platformText);
    const libc = flags['libc'] === 'glibc' ? 'glibc' : 'musl';
    for (const template of [flags['cc'], flags['cxx']]) {
      if (template === undefined) continue;
      const command = fillCompilerTemplate(template, platform, libc);
      const [program, ...rest] = command.split(/\s+/).filter(Boolean);
      const result = await processRunner
        .run(program!, [...rest, '--version'], {
          env: { PATH: io.env['PATH'] },
          extendEnv: false,
          timeoutMs: 30_000,
        })
        .then((r) => withoutPaths(r.stdout))
        .catch((error: Error) => `unavailable: ${error.message.split('\n')[0]}`);
      io.stdout.write(`${command}: ${result}\n`);
    }
    return 0;
  },
};

function parseFlags(args: readonly string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--install') {
      flags['install'] = '';
      continue;
    }
    const match = /^--(platform|cc|cxx|libc)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    const value = match[2] ?? args[++i];
    if (value === undefined) throw new UsageError(`--${match[1]} needs a value`);
    flags[match[1]!] = value;
  }
  return flags;
}

/**
 * A compiler's --version output without the lines that print where it is installed
 * (clang's "InstalledDir:", "Configuration file:"): a cache input names the compiler, never
 * a machine's paths.
 */
export function withoutPaths(versionOutput: string): string {
  return versionOutput
    .split('\n')
    .filter(
      (line) =>
        !/^\s*(InstalledDir|Configuration file|Found candidate GCC installation|Selected GCC installation|Candidate multilib|Selected multilib):/.test(
          line,
        ),
    )
    .join('\n')
    .trim();
}
