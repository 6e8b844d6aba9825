import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Runner } from '../support/process/runner';

/** The nx entry script of a workspace (its own node_modules), so commands run the workspace's Nx. */
export function nxBin(workspaceRoot: string): string {
  return join(
    dirname(require.resolve('nx/package.json', { paths: [workspaceRoot] })),
    'dist/bin/nx.js',
  );
}

/** What to ask `nx show projects`. */
export interface ProjectQuery {
  readonly withTarget: string;
  readonly affected?: { readonly base?: string; readonly head?: string };
}

/** Project names from `nx show projects --json` (Nx's own affected logic when asked). */
export async function showProjects(
  runner: Runner,
  workspaceRoot: string,
  query: ProjectQuery,
): Promise<string[]> {
  const args = [
    nxBin(workspaceRoot),
    'show',
    'projects',
    '--json',
    '--with-target',
    query.withTarget,
  ];
  if (query.affected) {
    args.push('--affected');
    if (query.affected.base) args.push(`--base=${query.affected.base}`);
    if (query.affected.head) args.push(`--head=${query.affected.head}`);
  }
  const result = await runner.run('node', args, {
    cwd: workspaceRoot,
    env: { NX_DAEMON: process.env.NX_DAEMON ?? 'false', NX_NO_CLOUD: 'true' },
  });
  return JSON.parse(result.stdout) as string[];
}

/** A node of the project graph as `nx graph --file` writes it: root and targets with their options. */
export interface GraphProject {
  readonly name: string;
  readonly data: {
    readonly root: string;
    readonly targets?: Record<string, { readonly options?: Record<string, unknown> }>;
  };
}

/** The whole project graph (nodes with their inferred targets) from one `nx graph --file` run. */
export async function readProjectGraph(
  runner: Runner,
  workspaceRoot: string,
): Promise<Record<string, GraphProject>> {
  const dir = await mkdtemp(join(tmpdir(), 'crossdock-graph-'));
  try {
    const file = join(dir, 'graph.json');
    await runner.run('node', [nxBin(workspaceRoot), 'graph', `--file=${file}`], {
      cwd: workspaceRoot,
      env: { NX_DAEMON: process.env.NX_DAEMON ?? 'false', NX_NO_CLOUD: 'true' },
    });
    return (
      JSON.parse(await readFile(file, 'utf8')) as { graph: { nodes: Record<string, GraphProject> } }
    ).graph.nodes;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
