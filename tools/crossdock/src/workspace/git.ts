import type { Runner } from '../process/runner';

/** A commit: full hash and committer time in unix seconds. */
export interface Commit {
  readonly sha: string;
  readonly time: number;
}

/** The last commit that touched any of `paths` (relative to the repository), or undefined outside git. */
export async function lastCommitTouching(runner: Runner, workspaceRoot: string, paths: readonly string[]): Promise<Commit | undefined> {
  const result = await runner.run('git', ['log', '-1', '--format=%H %ct', '--', ...paths], { cwd: workspaceRoot, allowFailure: true });
  const [sha, time] = result.stdout.trim().split(' ');
  if (result.exitCode !== 0 || !sha || !time) return undefined;
  return { sha, time: Number(time) };
}

/** The current commit, or undefined outside git. */
export async function headCommit(runner: Runner, workspaceRoot: string): Promise<Commit | undefined> {
  return lastCommitTouching(runner, workspaceRoot, []);
}

/** The URL of the `origin` remote without credentials, or undefined. */
export async function originUrl(runner: Runner, workspaceRoot: string): Promise<string | undefined> {
  const result = await runner.run('git', ['config', '--get', 'remote.origin.url'], { cwd: workspaceRoot, allowFailure: true });
  const url = result.stdout.trim();
  if (result.exitCode !== 0 || !url) return undefined;
  return url.replace(/\/\/[^/@]*@/, '//');
}
