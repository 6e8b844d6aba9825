import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** How an nx process ended. */
export interface NxExit {
  readonly code: number | null;
  readonly signal: string | null;
  readonly output: string;
  readonly durationMs: number;
}

/** An nx run started in its own process group, so a signal reaches nx, its executors and their children. */
export interface NxProcess {
  readonly pid: number;
  readonly done: Promise<NxExit>;
  /** True once nx has exited. */
  exited(): boolean;
  /** Sends `signal` to the whole process group (kill -<pid>). */
  signalGroup(signal: NodeJS.Signals): void;
}

/** Environment of every nx run of these suites: no daemon, no cloud, no TUI. */
export function nxEnv(extra: Readonly<Record<string, string | undefined>> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NX_SKIP_NX_CACHE: undefined,
    ...extra,
  };
}

/** Starts `nx <args>` in `root`, detached (its own process group), capturing stdout and stderr together. */
export function spawnNx(
  root: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = nxEnv(),
): NxProcess {
  const started = Date.now();
  const child = spawn(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), ...args], {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<NxExit>((resolve) => {
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        output: Buffer.concat(chunks).toString('utf8'),
        durationMs: Date.now() - started,
      }),
    );
  });
  const pid = child.pid ?? -1;
  let exited = false;
  void done.then(() => {
    exited = true;
  });
  return {
    pid,
    done,
    exited: () => exited,
    signalGroup(signal) {
      try {
        process.kill(-pid, signal);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    },
  };
}

/** Runs nx to completion in its own process group. */
export async function runNx(
  root: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<NxExit> {
  return spawnNx(root, args, env).done;
}

/** True while any process of group `pgid` is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Interrupts an nx run: `signal` to its process group, then waits until nx exited and no
 * process of the group is left. A group still alive after `graceMs` (SIGINT ignored or slow)
 * gets SIGKILL, and `forced` says so.
 */
export async function interrupt(
  proc: NxProcess,
  signal: NodeJS.Signals,
  graceMs = 15_000,
): Promise<NxExit & { readonly forced: boolean }> {
  proc.signalGroup(signal);
  let forced = false;
  const deadline = Date.now() + graceMs;
  while (groupAlive(proc.pid)) {
    if (Date.now() > deadline && !forced) {
      forced = true;
      proc.signalGroup('SIGKILL');
    }
    await sleep(25);
  }
  return { ...(await proc.done), forced };
}

/** Pids of live processes whose command line mentions `text` (a workspace copy's root), other than this one. */
export function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (cmdline.includes(text) && state !== 'Z') pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** Pids of Nx executor processes (run-executor.js) in process group `pgid`. */
export function executorsInGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so split after ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (
        pgrp === pgid &&
        readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('run-executor.js')
      )
        pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** Polls `predicate` every `intervalMs` until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitUntil(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 20,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return true;
    if (Date.now() > deadline) return false;
    await sleep(intervalMs);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The first line of an nx run's output that reports a problem: crossdock's `[project] ...
 * failed: ...` line, a compile failure, or the plugin's message under Nx's "Failed to
 * process project graph". Undefined when there is none.
 */
export function firstErrorLine(output: string): string | undefined {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const graph = lines.findIndex((line) => line.includes('Failed to process project graph'));
  if (graph >= 0)
    return lines
      .slice(graph + 1)
      .find(
        (line) =>
          !line.startsWith('An error occurred') &&
          !line.startsWith('- ') &&
          !/project\.json:$/.test(line),
      );
  // `[relay] image failed: relay: ...`, or a message that starts with the project name: `[relay] relay: ...`.
  return lines.find(
    (line) => /^\[[^\]]+\] \S+ failed: /.test(line) || /^\[([^\]]+)\] \1: /.test(line),
  );
}
