import type { Runner } from '../../support/process/runner';

/**
 * The versions a project has released, from its git tags `<project>@<version>` (nx
 * release's tag pattern for independently versioned projects, `{projectName}@{version}`).
 */
export async function releasedVersions(
  runner: Runner,
  workspaceRoot: string,
  project: string,
): Promise<string[]> {
  const result = await runner.run('git', ['tag', '--list', `${project}@*`], {
    cwd: workspaceRoot,
    allowFailure: true,
  });
  if (result.exitCode !== 0) return [];
  return result.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((tag) => tag.startsWith(`${project}@`))
    .map((tag) => tag.slice(project.length + 1));
}
