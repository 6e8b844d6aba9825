import type { Runner } from '../process/runner';

/** A commit: full hash and committer time in unix seconds. */
export interface Commit {
  readonly sha: string;
  readonly time: number;
}

/**
 * A remote that names a network location (scheme://host/... or scp-like user@host:path).
 * A local path is not one: it is a path of this machine and must not end up in an image.
 */
export function isNetworkUrl(url: string): boolean {
  return (
    (/^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(url) && !url.startsWith('file:')) ||
    /^[\w.-]+@[\w.-]+:/.test(url)
  );
}

/** The URL of the `origin` remote without credentials, or undefined for none or a local path. */
export async function originUrl(
  runner: Runner,
  workspaceRoot: string,
): Promise<string | undefined> {
  const result = await runner.run('git', ['config', '--get', 'remote.origin.url'], {
    cwd: workspaceRoot,
    allowFailure: true,
  });
  const url = result.stdout.trim();
  if (result.exitCode !== 0 || !isNetworkUrl(url)) return undefined;
  return url.replace(/\/\/[^/@]*@/, '//');
}

/** The abbreviated hash of HEAD as git shows it (`git rev-parse --short HEAD`), or undefined outside git. */
export async function shortHeadCommit(
  runner: Runner,
  workspaceRoot: string,
): Promise<string | undefined> {
  const result = await runner.run('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: workspaceRoot,
    allowFailure: true,
  });
  const short = result.stdout.trim();
  return result.exitCode === 0 && /^[0-9a-f]{4,40}$/.test(short) ? short : undefined;
}
