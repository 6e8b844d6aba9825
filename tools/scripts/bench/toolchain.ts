import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runner } from '../../crossdock/src/support/process/runner';

/** Where the foreign Go toolchains are kept between benchmark runs. */
export const TOOLCHAIN_CACHE = '/var/cache/crossdock/toolchains';

/** The Go distribution architecture names of the toolchains the benchmark runs (as in go1.26.8.linux-armv6l.tar.gz). */
export type ToolchainArch = 'amd64' | 'arm64' | 'armv6l';

/** A Go root for linux/<arch>, of the host's Go version, and how it was obtained. */
export interface Toolchain {
  readonly goroot: string;
  /** `go1.26.8` */
  readonly version: string;
  readonly arch: ToolchainArch;
  /** `module proxy` (golang.org/toolchain, as GOTOOLCHAIN downloads it) or `built from the host's Go sources`. */
  readonly source: string;
}

/** A toolchain that could not be fetched or built: names the version, the architecture and what to do. */
export class ToolchainError extends Error {
  constructor(
    readonly version: string,
    readonly arch: ToolchainArch,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Go toolchain ${version}.linux-${arch}: ${detail}`, options);
    this.name = 'ToolchainError';
  }
}

/** What ensureToolchain needs: the Go version (`go env GOVERSION`), the host GOROOT (for a source build), a runner and a log. */
export interface ToolchainRequest {
  readonly version: string;
  readonly arch: ToolchainArch;
  readonly hostGoroot: string;
  readonly cacheDir?: string;
  readonly log: (line: string) => void;
}

const SOURCE_MARKER = '.crossdock-source';

/** The module path and version under which the Go module proxy serves an official toolchain. */
export function toolchainModule(version: string, arch: ToolchainArch): string {
  return `golang.org/toolchain@v0.0.1-${version}.linux-${arch}`;
}

/**
 * A linux/<arch> Go root of the given version, from the cache or fetched once: from the
 * module proxy (`go mod download golang.org/toolchain@v0.0.1-<version>.linux-<arch>`), or,
 * when the proxy does not serve that architecture, cross-built from the host's GOROOT
 * (same VERSION file) with make.bash, as src/bootstrap.bash does.
 */
export async function ensureToolchain(
  runner: Runner,
  request: ToolchainRequest,
): Promise<Toolchain> {
  const cacheDir = request.cacheDir ?? TOOLCHAIN_CACHE;
  const goroot = join(cacheDir, `${request.version}.linux-${request.arch}`);
  const marker = join(goroot, SOURCE_MARKER);
  if (existsSync(marker))
    return {
      goroot,
      version: request.version,
      arch: request.arch,
      source: readFileSync(marker, 'utf8').trim(),
    };

  const scratch = mkdtempSync(join(tmpdir(), 'crossdock-toolchain-'));
  try {
    const staged = join(scratch, 'go');
    let source: string;
    const fromProxy = await downloadModule(runner, request, scratch);
    if (fromProxy.dir !== undefined) {
      request.log(
        `toolchain ${request.version}.linux-${request.arch}: copying from the module cache`,
      );
      cpSync(fromProxy.dir, staged, { recursive: true });
      makeWritable(staged);
      source = `module proxy (${toolchainModule(request.version, request.arch)})`;
    } else {
      request.log(
        `toolchain ${request.version}.linux-${request.arch}: not on the module proxy (${fromProxy.error}); building it from ${request.hostGoroot}`,
      );
      await buildFromSource(runner, request, staged);
      const flags = Object.entries(goTarget(request.arch))
        .map(([key, value]) => `${key}=${value}`)
        .join(' ');
      source = `cross-built from the host's ${request.version} sources with make.bash, ${flags} (the module proxy serves no linux-${request.arch} toolchain)`;
    }
    chmodExecutables(staged);
    await verify(runner, request, staged);
    writeFileSync(join(staged, SOURCE_MARKER), `${source}\n`);
    rmSync(goroot, { recursive: true, force: true });
    mkdirSync(cacheDir, { recursive: true });
    renameSync(staged, goroot);
    return { goroot, version: request.version, arch: request.arch, source };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function downloadModule(
  runner: Runner,
  request: ToolchainRequest,
  scratch: string,
): Promise<{ dir?: string; error?: string }> {
  const result = await runner.run(
    'go',
    ['mod', 'download', '-json', toolchainModule(request.version, request.arch)],
    {
      cwd: scratch,
      env: { GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' },
      allowFailure: true,
    },
  );
  let parsed: { Dir?: string; Error?: string };
  try {
    parsed = JSON.parse(result.stdout) as { Dir?: string; Error?: string };
  } catch {
    return {
      error: `go mod download exited with ${result.exitCode}: ${result.stderr.trim().split('\n').pop() ?? ''}`,
    };
  }
  if (parsed.Dir !== undefined && result.exitCode === 0) return { dir: parsed.Dir };
  return { error: (parsed.Error ?? `exit code ${result.exitCode}`).split('\n')[0] };
}

/** The GOARCH and ISA variable of a Go distribution architecture name. */
function goTarget(arch: ToolchainArch): Record<string, string> {
  switch (arch) {
    case 'amd64':
      return { GOARCH: 'amd64' };
    case 'arm64':
      return { GOARCH: 'arm64' };
    case 'armv6l':
      return { GOARCH: 'arm', GOARM: '6' };
  }
}

async function buildFromSource(
  runner: Runner,
  request: ToolchainRequest,
  staged: string,
): Promise<void> {
  const hostVersion = readFileSync(join(request.hostGoroot, 'VERSION'), 'utf8').split('\n')[0];
  if (hostVersion !== request.version) {
    throw new ToolchainError(
      request.version,
      request.arch,
      `the host GOROOT ${request.hostGoroot} is ${hostVersion}; install Go ${request.version} or put the toolchain in ${TOOLCHAIN_CACHE}`,
    );
  }
  cpSync(request.hostGoroot, staged, { recursive: true });
  makeWritable(staged);
  const target = goTarget(request.arch);
  const started = performance.now();
  await runner.run('./make.bash', ['--no-banner'], {
    cwd: join(staged, 'src'),
    env: {
      GOROOT: undefined,
      GOPATH: undefined,
      GOFLAGS: undefined,
      GOTOOLCHAIN: 'local',
      GOROOT_BOOTSTRAP: request.hostGoroot,
      GOOS: 'linux',
      ...target,
      CGO_ENABLED: '0',
    },
    timeoutMs: 30 * 60_000,
  });
  request.log(
    `toolchain ${request.version}.linux-${request.arch}: make.bash took ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  // As bootstrap.bash: the cross-built commands replace the host's, the host's tools go.
  const crossBin = join(staged, 'bin', `linux_${target['GOARCH']}`);
  for (const name of readdirSync(crossBin))
    renameSync(join(crossBin, name), join(staged, 'bin', name));
  rmSync(crossBin, { recursive: true });
  for (const dir of ['pkg/tool/linux_amd64', 'pkg/obj', 'pkg/bootstrap'])
    rmSync(join(staged, dir), { recursive: true, force: true });
}

function makeWritable(dir: string): void {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: false }) as string[]) {
    const path = join(dir, entry);
    const mode = statSync(path).mode;
    chmodSync(path, mode | 0o200);
  }
  chmodSync(dir, statSync(dir).mode | 0o200);
}

/** The module zip keeps no file modes; the go command marks bin/* and pkg/tool/<os_arch>/* executable, and so does this. */
function chmodExecutables(goroot: string): void {
  const dirs = [
    join(goroot, 'bin'),
    ...readdirSync(join(goroot, 'pkg', 'tool')).map((name) => join(goroot, 'pkg', 'tool', name)),
  ];
  for (const dir of dirs) for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o755);
}

/** Runs the toolchain's own `go version` (through binfmt and qemu for a foreign architecture). */
async function verify(runner: Runner, request: ToolchainRequest, goroot: string): Promise<void> {
  const result = await runner.run(join(goroot, 'bin', 'go'), ['version'], {
    env: { GOROOT: goroot, GOTOOLCHAIN: 'local' },
    allowFailure: true,
    timeoutMs: 120_000,
  });
  const goarch = goTarget(request.arch)['GOARCH'];
  if (result.exitCode !== 0 || !result.stdout.includes(`${request.version} linux/${goarch}`)) {
    throw new ToolchainError(
      request.version,
      request.arch,
      `${goroot}/bin/go version printed ${JSON.stringify(result.stdout.trim() || result.stderr.trim())}; is qemu-user-static with binfmt_misc installed (tools/scripts/setup-engines.sh)?`,
    );
  }
}
