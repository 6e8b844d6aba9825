import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Runner } from '../../crossdock/src/support/process/runner';
import { createBenchWorkspace } from './bench-workspace';
import type { EngineRow, EnginesResult } from './results';
import { interleaved, type Log } from './timing';

/** What the engine scenario needs from main. */
export interface EnginesOptions {
  readonly runs: number;
  readonly projects: readonly string[];
  /** A warm Go build cache (the host's): compiling is not what this scenario measures. */
  readonly goCache: string;
  readonly log: Log;
}

/**
 * The image step alone, builtin engine against docker engine: the binaries are compiled
 * once (untimed), then `nx run <app>:image --skip-nx-cache --excludeTaskDependencies`
 * runs only the image executor, with `--engine=docker` for the docker column.
 */
export async function runEngines(runner: Runner, options: EnginesOptions): Promise<EnginesResult> {
  const workspace = await createBenchWorkspace(runner);
  try {
    await workspace.nx(
      ['run-many', '-t', 'image', `--projects=${options.projects.join(',')}`],
      options.goCache,
    );
    const imageStep = (project: string, engine: string) =>
      workspace.nx(
        [
          'run',
          `${project}:image`,
          '--skip-nx-cache',
          '--excludeTaskDependencies',
          `--engine=${engine}`,
        ],
        options.goCache,
      );
    const unavailable = await dockerEngineProblem(workspace.root, () =>
      imageStep(options.projects[0], 'docker'),
    );
    if (unavailable !== undefined) options.log(`engines: ${unavailable}`);
    const rows: EngineRow[] = [];
    for (const project of options.projects) {
      const platforms = workspace.platforms(project).length;
      if (unavailable !== undefined) {
        const samples = await interleaved(
          options.runs,
          { builtin: () => imageStep(project, 'builtin') },
          options.log,
          `engines ${project}`,
        );
        rows.push({ project, platforms, builtin: samples.builtin });
      } else {
        const samples = await interleaved(
          options.runs,
          {
            builtin: () => imageStep(project, 'builtin'),
            docker: () => imageStep(project, 'docker'),
          },
          options.log,
          `engines ${project}`,
        );
        rows.push({ project, platforms, builtin: samples.builtin, docker: samples.docker });
      }
    }
    return { unavailable, rows };
  } finally {
    workspace.remove();
  }
}

/** Why the docker engine cannot be measured (no source, or an untimed trial run fails), or undefined when it can. */
async function dockerEngineProblem(
  root: string,
  trial: () => Promise<number>,
): Promise<string | undefined> {
  if (!existsSync(join(root, 'tools/crossdock/src/image/engines/docker-engine.ts')))
    return 'docker engine not available (tools/crossdock/src/image/engines/docker-engine.ts does not exist)';
  try {
    await trial();
    return undefined;
  } catch (error) {
    return `docker engine not available: ${(error as Error).message.split('\n').slice(-4).join(' ').slice(0, 300)}`;
  }
}
