import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runner } from '../../crossdock/src/support/process/runner';
import { createBenchWorkspace, NX_ENV } from './bench-workspace';
import { bareCompile, readAppBuild } from './go-flags';
import type { WorkspaceResult } from './results';
import { interleaved, timeParallel, type Command, type Log } from './timing';

/** What the workspace scenario needs from main. */
export interface WorkspaceOptions {
  readonly runs: number;
  /** The apps with images (all of them: run-many builds every one). */
  readonly projects: readonly string[];
  /** The Go library edited for the affected-only run, and the file touched in it. */
  readonly library: string;
  readonly libraryFile: string;
  /** Nx's task parallelism, passed explicitly; the bare compile runs as many go builds at once. */
  readonly parallel: number;
  readonly log: Log;
}

/**
 * The whole sample workspace, run by run: bare compile with an empty GOCACHE (the floor),
 * `nx run-many -t image` cold (no dist/, no .nx, empty GOCACHE), the same again (fully
 * cached), `nx affected -t image --base=HEAD` after editing one Go library, then the bare
 * compile and `run-many --skip-nx-cache` with the now warm GOCACHE.
 */
export async function runWorkspace(
  runner: Runner,
  options: WorkspaceOptions,
): Promise<WorkspaceResult> {
  const workspace = await createBenchWorkspace(runner);
  const out = mkdtempSync(join(tmpdir(), 'crossdock-bench-bare-'));
  try {
    const apps = options.projects.map((project) => readAppBuild(workspace.root, project));
    const bare = (goCache: string): Command[] =>
      apps.flatMap((app) =>
        app.platforms.map((platform) =>
          bareCompile(
            workspace.root,
            app,
            platform,
            join(out, app.project, platform, app.project),
            goCache,
          ),
        ),
      );
    const runMany = ['run-many', '-t', 'image', `--parallel=${options.parallel}`];
    const affectedProjects = await listAffected(runner, workspace.root, () =>
      workspace.editGoFile(options.libraryFile, 'bench: affected probe'),
    );
    await workspace.restore();

    let warmCache = '';
    const samples = await interleaved(
      options.runs,
      {
        bareCold: async () => {
          const goCache = workspace.newGoCache();
          try {
            return await timeParallel(runner, bare(goCache), options.parallel);
          } finally {
            rmSync(goCache, { recursive: true, force: true });
          }
        },
        cold: async () => {
          if (warmCache !== '') rmSync(warmCache, { recursive: true, force: true });
          workspace.clearOutputs({ graph: true });
          warmCache = workspace.newGoCache();
          return workspace.nx(runMany, warmCache);
        },
        cached: () => workspace.nx(runMany, warmCache),
        affected: async (run) => {
          workspace.editGoFile(options.libraryFile, `bench: affected run ${run + 1}`);
          try {
            return await workspace.nx(
              ['affected', '-t', 'image', '--base=HEAD', `--parallel=${options.parallel}`],
              warmCache,
            );
          } finally {
            await workspace.restore();
          }
        },
        bareWarm: () => timeParallel(runner, bare(warmCache), options.parallel),
        fullWarm: () => workspace.nx([...runMany, '--skip-nx-cache'], warmCache),
      },
      options.log,
      'workspace',
    );
    return {
      projects: apps.map((app) => `${app.project} (${app.platforms.length} platforms)`),
      builds: apps.reduce((sum, app) => sum + app.platforms.length, 0),
      parallel: options.parallel,
      ...samples,
      affectedLibrary: options.library,
      affectedFile: options.libraryFile,
      affectedProjects,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
    workspace.remove();
  }
}

/** The projects `nx show projects --affected --base=HEAD` lists after `edit` (untimed; shows what the affected run rebuilds). */
async function listAffected(runner: Runner, root: string, edit: () => void): Promise<string[]> {
  edit();
  const result = await runner.run(
    'node',
    [
      join(root, 'node_modules/nx/dist/bin/nx.js'),
      'show',
      'projects',
      '--affected',
      '--base=HEAD',
      '--json',
    ],
    { cwd: root, env: NX_ENV },
  );
  return (JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as string[]).sort();
}
