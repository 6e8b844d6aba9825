import type { Runner } from '../process/runner';

/** A commit: full hash and committer time in unix seconds. */
export interface Commit {
  readonly sha: string;
  readonly time: number;
}

/**
 * A remote that names a network location: scheme://host/... (not file:) or scp-like
 * user@host:path, as POSIX extended regular expressions that JavaScript and `grep -E` read
 * alike (the runtime input below uses them too). A local path is not one: it is a path of
 * this machine and must not end up in an image.
 */
const NETWORK_URL = ['^[A-Za-z][A-Za-z0-9+.-]*://[^/]', '^[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+:'];
/** The credentials part of a URL (`//user:token@`), as a sed -E and JavaScript pattern. */
const CREDENTIALS = '//[^/@]*@';

/** True for a remote that names a network location (see NETWORK_URL). */
export function isNetworkUrl(url: string): boolean {
  return !url.startsWith('file:') && NETWORK_URL.some((pattern) => new RegExp(pattern).test(url));
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
  return url.replace(new RegExp(CREDENTIALS), '//');
}

/**
 * A shell command printing what {@link originUrl} returns (nothing for none or a local path),
 * for an Nx runtime input: the image's source label comes from it, so a changed remote
 * rebuilds the image, while a checkout cloned from a local path hashes like any other.
 */
export const ORIGIN_URL_COMMAND =
  `git config --get remote.origin.url 2>/dev/null | grep -v '^file:' | ` +
  `grep -E ${NETWORK_URL.map((pattern) => `-e '${pattern}'`).join(' ')} | ` +
  `sed -E 's#${CREDENTIALS}#//#'`;

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
