import { relative } from 'node:path';
import type { AppClosures } from '../go/app-closures';
import { isInside } from '../go/module-context';
import type { Runner } from '../support/process/runner';
import { shellWord } from '../support/process/shell-word';
import type { Commit } from '../support/workspace/git';

/**
 * An image's revision is the last commit that touched a file its binaries are compiled from:
 * exactly the files of its compile targets' `{workspaceRoot}/…` inputs (see compileInputs),
 * on every platform it builds for. A commit that changes only tests, testdata, docs or any
 * other file no compile reads leaves the revision, the time and so the digest as they were,
 * and neither `nx affected -t image` nor `crossdock matrix --affected` lists the image.
 */

/**
 * The git pathspecs, relative to the workspace root, of every file the app's closures read
 * inside the workspace: each file by its path (`:(literal)` when it holds a wildcard or
 * starts with `:`), each embed or cgo directory glob as `:(glob)dir/pattern`. Sorted, no
 * duplicates. createNodes (for the image target's runtime input) and the image executor
 * (for the label) take them from here, from the same closures.
 */
export function revisionPathspecs(workspaceRoot: string, app: AppClosures): string[] {
  const specs = new Set<string>();
  for (const closure of app.closures) {
    for (const file of closure.files) {
      if (isInside(workspaceRoot, file)) specs.add(literalPathspec(relative(workspaceRoot, file)));
    }
    for (const { dir, pattern } of closure.globs) {
      if (!isInside(workspaceRoot, dir)) continue;
      const base = escapeGitGlob(relative(workspaceRoot, dir));
      specs.add(`:(glob)${base === '' ? '' : `${base}/`}${pattern}`);
    }
  }
  return [...specs].sort();
}

/** A path as a pathspec that matches that path only (git treats `*?[` as wildcards, `:` as magic). */
function literalPathspec(path: string): string {
  return /[*?[\\]|^:/.test(path) ? `:(literal)${path}` : path;
}

function escapeGitGlob(path: string): string {
  return path.replace(/[*?[\]\\]/g, '\\$&');
}

/**
 * The longest pathspec list one runtime input holds, in characters: Nx runs a runtime input
 * as `sh -c <command>`, and Linux limits one argument to 128 KiB (MAX_ARG_STRLEN).
 */
export const MAX_COMMAND_PATHSPECS = 96 * 1024;

/**
 * The runtime inputs that stand for the revision: `git log -1 --format=%H:%ct -- <pathspecs>`,
 * split into several commands when the pathspecs are too long for one. The union's last
 * commit is one of the parts' last commits, so the parts' answers decide the executor's,
 * which asks git once for the union (resolveRevision).
 */
export function revisionInputs(
  pathspecs: readonly string[],
  maxLength = MAX_COMMAND_PATHSPECS,
): { runtime: string }[] {
  const quoted = pathspecs.length === 0 ? ['.'] : pathspecs.map(shellWord);
  const chunks: string[][] = [[]];
  let length = 0;
  for (const word of quoted) {
    if (length > 0 && length + word.length + 1 > maxLength) {
      chunks.push([]);
      length = 0;
    }
    chunks[chunks.length - 1]!.push(word);
    length += word.length + 1;
  }
  return chunks.map((words) => ({
    runtime: `git log -1 --format=%H:%ct -- ${words.join(' ')} 2>/dev/null || echo no-git`,
  }));
}

/**
 * The last commit that touched any of the pathspecs (all of HEAD's history when there are
 * none), or undefined outside git or when none did. The pathspecs go to git on standard
 * input, so their number is not bounded by the command line.
 */
export async function resolveRevision(
  runner: Runner,
  workspaceRoot: string,
  pathspecs: readonly string[],
): Promise<Commit | undefined> {
  const result = await runner.run('git', ['log', '-1', '--format=%H %ct', '--stdin'], {
    cwd: workspaceRoot,
    input: `--\n${(pathspecs.length === 0 ? ['.'] : pathspecs).join('\n')}\n`,
    allowFailure: true,
  });
  const [sha, time] = result.stdout.trim().split(' ');
  if (result.exitCode !== 0 || !sha || !time) return undefined;
  return { sha, time: Number(time) };
}
