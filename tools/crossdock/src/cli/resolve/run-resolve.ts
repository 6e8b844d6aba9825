import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { formatReference } from '@crossdock/registry';
import { nxBin, readProjectGraph } from '../../nx/nx-cli';
import { tail, type Runner } from '../../support/process/runner';
import type { PushRecord } from '../../publish/push/push-record';
import { chooseRegistry, REGISTRY_ENV } from '../../publish/push/registry-source';
import { DIST } from '../../support/workspace/dist-paths';
import {
  findReferences,
  replaceReferences,
  ResolveInputError,
  type FoundReference,
} from './find-references';
import type { YamlInput } from './read-inputs';

/** Everything one resolve needs (no globals read here). */
export interface ResolveRequest {
  readonly workspaceRoot: string;
  readonly inputs: readonly YamlInput[];
  /** --registry, over CROSSDOCK_REGISTRY and each project's registry option. */
  readonly registry?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly runner: Runner;
  /** Progress lines (stderr: stdout is the YAML). */
  readonly log: (line: string) => void;
}

/**
 * `crossdock resolve`: finds every `crossdock://<project>` in the inputs, checks each names a
 * project with a push target, pushes those projects through Nx (`nx run-many -t push`:
 * cached builds, only what changed is rebuilt), and returns the inputs with each reference
 * replaced by `<registry>/<repository>@<index digest>` from the push records, joined with
 * `---` lines. Nothing is built or pushed when an input is not YAML or names an unknown project.
 */
export async function runResolve(request: ResolveRequest): Promise<string> {
  const found = request.inputs.map((input) => ({
    input,
    references: findReferences(input.name, input.text),
  }));
  const wanted = [...new Set(found.flatMap((f) => f.references.map((r) => r.project)))].sort();
  if (wanted.length > 0) {
    const graph = await readProjectGraph(request.runner, request.workspaceRoot);
    const pushable = Object.keys(graph)
      .filter((name) => graph[name]!.data.targets?.['push'])
      .sort();
    for (const { input, references } of found)
      for (const reference of references) checkProject(input.name, reference, pushable);
    const registries = wanted.map((project) => {
      const option = graph[project]!.data.targets?.['push']?.options?.['registry'];
      return chooseRegistry(request.registry, {
        env: request.env,
        ...(typeof option === 'string' ? { option } : {}),
      });
    });
    const missing = wanted.filter((_, i) => registries[i] === undefined);
    if (missing.length > 0)
      throw new Error(
        `no registry for ${missing.join(', ')}: give --registry=HOST[:PORT], set ${REGISTRY_ENV} or the registry option`,
      );
    await pushProjects(request, wanted);
  }
  const images = new Map<string, string>();
  for (const project of wanted)
    images.set(project, await pushedImage(request.workspaceRoot, project));
  return found
    .map(({ input, references }) =>
      replaceReferences(input.text, references, (p) => images.get(p)!),
    )
    .map((text, i) => (i > 0 && !text.startsWith('---') ? `---\n${text}` : text))
    .join('');
}

function checkProject(file: string, reference: FoundReference, pushable: readonly string[]): void {
  if (pushable.includes(reference.project)) return;
  throw new ResolveInputError(
    file,
    reference.line,
    `crossdock://${reference.project}: no project "${reference.project}" with a push target in this workspace (projects: ${pushable.join(', ') || 'none'})`,
  );
}

async function pushProjects(request: ResolveRequest, projects: readonly string[]): Promise<void> {
  const root = request.workspaceRoot;
  // A record left by an earlier push must not stand in for this one.
  await Promise.all(projects.map((p) => rm(join(root, DIST.pushRecord(p)), { force: true })));
  request.log(`crossdock resolve: nx run-many -t push --projects=${projects.join(',')}`);
  const result = await request.runner.run(
    'node',
    [
      nxBin(root),
      'run-many',
      '-t',
      'push',
      `--projects=${projects.join(',')}`,
      '--outputStyle=static',
    ],
    {
      cwd: root,
      env: {
        NX_DAEMON: request.env['NX_DAEMON'] ?? 'false',
        NX_TUI: 'false',
        ...(request.registry ? { [REGISTRY_ENV]: request.registry } : {}),
      },
      allowFailure: true,
    },
  );
  for (const line of result.stdout.split('\n')) if (line.trim() !== '') request.log(line);
  if (result.exitCode !== 0)
    throw new Error(
      `nx run-many -t push --projects=${projects.join(',')} failed (exit ${result.exitCode}); nothing was resolved:\n${tail(result.stderr || result.stdout, 20)}`,
    );
}

async function pushedImage(workspaceRoot: string, project: string): Promise<string> {
  const record = JSON.parse(
    await readFile(join(workspaceRoot, DIST.pushRecord(project)), 'utf8'),
  ) as PushRecord;
  return formatReference({
    registry: record.registry,
    repository: record.repository,
    digest: record.indexDigest,
  });
}
