import { cpus, loadavg, release, totalmem } from 'node:os';
import type { Runner } from '../../crossdock/src/support/process/runner';

/** The machine a benchmark ran on, as printed in BENCHMARKS.md. */
export interface Machine {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly kernel: string;
  /** `go1.26.8` */
  readonly goVersion: string;
  readonly goroot: string;
  readonly nodeVersion: string;
  readonly nxVersion: string;
  /** Docker server version, or why there is none. */
  readonly docker: string;
  /** qemu-user-static version, or why there is none. */
  readonly qemu: string;
  /** When the run started (ISO 8601, UTC). */
  readonly date: string;
  /** The 1-minute load average when the run started: other work on the machine skews every figure. */
  readonly loadAtStart: number;
  /** The same at the end (set by main). */
  readonly loadAtEnd?: number;
}

async function firstLine(
  runner: Runner,
  command: string,
  args: readonly string[],
  env?: Record<string, string>,
): Promise<string | undefined> {
  try {
    const result = await runner.run(command, args, { allowFailure: true, timeoutMs: 30_000, env });
    return result.exitCode === 0 ? result.stdout.trim().split('\n')[0] : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the machine's cores, CPU, memory, kernel and tool versions (Go, Node, Nx, Docker, qemu). */
export async function readMachine(runner: Runner, workspaceRoot: string): Promise<Machine> {
  const goVersion = (await firstLine(runner, 'go', ['env', 'GOVERSION'])) ?? 'go not found';
  const goroot = (await firstLine(runner, 'go', ['env', 'GOROOT'])) ?? '';
  const nx =
    (await firstLine(runner, 'node', [
      '-p',
      `require(${JSON.stringify(`${workspaceRoot}/node_modules/nx/package.json`)}).version`,
    ])) ?? 'unknown';
  const docker =
    (await firstLine(runner, '/usr/bin/docker', ['version', '--format', '{{.Server.Version}}'])) ??
    'not available';
  const qemu = (await firstLine(runner, 'qemu-aarch64-static', ['--version'])) ?? 'not available';
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: `Linux ${release()}`,
    goVersion: goVersion.split(/\s+/)[0],
    goroot,
    nodeVersion: process.version,
    nxVersion: nx,
    docker: docker === 'not available' ? docker : `Docker ${docker} (BuildKit)`,
    qemu: qemu.replace(/\s*Copyright.*$/, ''),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    loadAtStart: loadavg()[0],
  };
}
