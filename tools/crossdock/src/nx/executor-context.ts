import type { ExecutorContext } from '@nx/devkit';

/** The name and root of the project an executor runs for. */
export function projectOf(context: ExecutorContext): { name: string; root: string } {
  const name = context.projectName;
  if (!name) throw new Error('crossdock executors run for a project (nx run <project>:<target>)');
  const project = context.projectsConfigurations.projects[name];
  return { name, root: project.root };
}
