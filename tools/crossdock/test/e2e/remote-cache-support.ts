import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa, type ResultPromise } from 'execa';

/** A `crossdock cache serve` process started for a test. */
export interface CacheCli {
  readonly url: string;
  /** Its process id. */
  readonly pid: number;
  /** Stops it (SIGTERM) and resolves with its closing line (the counts); idempotent. */
  stop(): Promise<string>;
  /** Its standard error so far (the warnings). */
  stderr(): string;
}

/**
 * Starts `crossdock cache serve --listen 127.0.0.1:0 --store <store>` from a workspace's
 * built plugin with the given environment (tokens), and resolves once it prints its URL.
 */
export async function startCacheCli(
  workspaceRoot: string,
  store: string,
  env: Record<string, string>,
  extraArgs: readonly string[] = [],
): Promise<CacheCli> {
  const child: ResultPromise = execa(
    'node',
    [
      join(workspaceRoot, 'tools/crossdock/bin/crossdock.js'),
      'cache',
      'serve',
      '--listen',
      '127.0.0.1:0',
      '--store',
      store,
      ...extraArgs,
    ],
    { env, reject: false, cwd: workspaceRoot },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no URL from the cache server: ${stderr}`)),
      20_000,
    );
    const look = (): void => {
      const match = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', look);
    void child.then(() => reject(new Error(`the cache server exited: ${stderr}`)));
  });
  let stopped: Promise<string> | undefined;
  return {
    url,
    pid: child.pid ?? 0,
    stderr: () => stderr,
    stop() {
      stopped ??= (async () => {
        child.kill('SIGTERM');
        await child;
        return /stopped; (.*)/.exec(stdout)?.[1] ?? '';
      })();
      return stopped;
    },
  };
}

/** The sha256 of every file below a directory, by relative path. */
export function treeDigests(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else
        out[relative(root, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(root);
  return out;
}
