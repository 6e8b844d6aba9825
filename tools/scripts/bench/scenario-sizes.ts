import { join } from 'node:path';
import type { Runner } from '../../crossdock/src/support/process/runner';
import { createBenchWorkspace } from './bench-workspace';
import { layoutImageSizes } from './oci-sizes';
import type { SizeRow } from './results';
import type { Log } from './timing';

/** What the size scenario needs from main. */
export interface SizesOptions {
  readonly projects: readonly string[];
  /** The project built again on the busybox base, and its Nx configuration for that (`image:busybox`). */
  readonly busyboxProject: string;
  readonly busyboxBase: string;
  readonly goCache: string;
  readonly log: Log;
}

/**
 * Image sizes per platform from the OCI layouts crossdock writes: every app on scratch
 * (`nx run-many -t image`), then one app on the busybox base (`nx run <app>:image:busybox`,
 * or `--base=<busybox>` when the project has no such configuration).
 */
export async function runSizes(runner: Runner, options: SizesOptions): Promise<SizeRow[]> {
  const workspace = await createBenchWorkspace(runner);
  try {
    const rows: SizeRow[] = [];
    await workspace.nx(
      ['run-many', '-t', 'image', `--projects=${options.projects.join(',')}`],
      options.goCache,
    );
    for (const project of options.projects) {
      for (const size of layoutImageSizes(join(workspace.root, 'dist/images', project)))
        rows.push({ project, base: 'scratch', ...size });
    }
    try {
      await workspace.nx(['run', `${options.busyboxProject}:image:busybox`], options.goCache);
    } catch (error) {
      options.log(
        `sizes: ${options.busyboxProject}:image:busybox failed (${(error as Error).message.split('\n')[0]}); trying --base=${options.busyboxBase}`,
      );
      await workspace.nx(
        ['run', `${options.busyboxProject}:image`, `--base=${options.busyboxBase}`],
        options.goCache,
      );
    }
    for (const size of layoutImageSizes(
      join(workspace.root, 'dist/images', options.busyboxProject),
    ))
      rows.push({ project: options.busyboxProject, base: options.busyboxBase, ...size });
    return rows;
  } finally {
    workspace.remove();
  }
}
