import type { CustomHasher, HasherContext } from '@nx/devkit';
import { compileHash } from '../../cache/compile-hash';

/**
 * The cache key of compile--<platform> tasks (registered as the compile executor's `hasher`).
 * Nx's default key includes the whole project configuration, every target and option of the
 * app, so adding a platform would recompile every other platform. This one asks Nx for the
 * hash of the declared inputs and swaps the project-wide part for the compile target's own
 * configuration (see compileHash). Only the main Nx process loads it; it reads no file.
 */
const compileHasher: CustomHasher = async (task, context) => {
  const env = (context as HasherContext & { env?: NodeJS.ProcessEnv }).env ?? process.env;
  const base = await context.hasher.hashTask(task, context.taskGraph, env);
  const project = context.projectsConfigurations.projects[task.target.project];
  // metadata only documents the target; it never changes a binary.
  const { metadata: _metadata, ...target } = project?.targets?.[task.target.target] ?? {};
  const { value, nodes } = compileHash({
    command: base.details.command,
    nodes: base.details.nodes,
    projectRoot: project?.root ?? '',
    target: { ...target, configuration: task.target.configuration ?? null },
  });
  return { ...base, value, details: { ...base.details, nodes } };
};

export default compileHasher;
