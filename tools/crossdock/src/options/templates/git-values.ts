import type { Runner } from '../../support/process/runner';
import type { TemplateValues, Unavailable } from './template-values';
import type { TemplateVariable } from './variables';

const NO_GIT: Unavailable = {
  unavailable: 'there is no git commit (the workspace is not a git repository)',
};

async function git(
  runner: Runner,
  cwd: string,
  args: readonly string[],
): Promise<string | undefined> {
  const result = await runner.run('git', [...args], { cwd, allowFailure: true });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/**
 * The git variables among `wanted`, read from the commit checked out in `workspaceRoot`
 * (only those asked for: each is one git call). Dates are the commit's, in UTC, so the
 * same commit gives the same values on every machine. `{branch}` is empty on a detached
 * HEAD and `{tag}` when no tag points at HEAD (the newest by version when several do).
 */
export async function gitValues(
  runner: Runner,
  workspaceRoot: string,
  wanted: ReadonlySet<TemplateVariable>,
): Promise<TemplateValues> {
  const values: Partial<Record<TemplateVariable, string | Unavailable>> = {};
  const needs = (...names: TemplateVariable[]) => names.some((name) => wanted.has(name));
  if (!needs('commit', 'fullCommit', 'branch', 'tag', 'commitDate', 'commitTimestamp', 'treeState'))
    return values;
  const full = await git(runner, workspaceRoot, ['rev-parse', 'HEAD']);
  if (full === undefined || !/^[0-9a-f]{40,64}$/.test(full)) {
    for (const name of wanted) values[name] = NO_GIT;
    return values;
  }
  values.fullCommit = full;
  if (needs('commit'))
    values.commit = (await git(runner, workspaceRoot, ['rev-parse', '--short', 'HEAD'])) ?? NO_GIT;
  if (needs('branch')) {
    const branch = await git(runner, workspaceRoot, ['rev-parse', '--abbrev-ref', 'HEAD']);
    values.branch = branch === undefined ? NO_GIT : branch === 'HEAD' ? '' : branch;
  }
  if (needs('tag')) {
    const tags = await git(runner, workspaceRoot, [
      'tag',
      '--points-at',
      'HEAD',
      '--sort=-version:refname',
    ]);
    values.tag = tags?.split('\n')[0] ?? '';
  }
  if (needs('commitDate', 'commitTimestamp')) {
    const seconds = await git(runner, workspaceRoot, ['log', '-1', '--format=%ct', 'HEAD']);
    const time = Number(seconds);
    values.commitTimestamp = Number.isInteger(time) ? String(time) : NO_GIT;
    values.commitDate = Number.isInteger(time)
      ? new Date(time * 1000).toISOString().replace('.000Z', 'Z')
      : NO_GIT;
  }
  if (needs('treeState')) {
    const status = await git(runner, workspaceRoot, ['status', '--porcelain']);
    values.treeState = status === undefined ? NO_GIT : status === '' ? 'clean' : 'dirty';
  }
  return values;
}
