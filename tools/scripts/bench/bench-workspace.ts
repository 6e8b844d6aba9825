import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runner } from '../../crossdock/src/support/process/runner';
import { PERF_DUMP } from './nx-profile';
import { copyWorkspace, type WorkspaceCopy } from '../testing/workspace-copy';
import { timeCommand } from './timing';

/** A workspace copy for benchmarks: timed nx runs with a chosen GOCACHE, and the resets a cold run needs. */
export interface BenchWorkspace {
  readonly root: string;
  /**
   * Runs nx in the copy (no daemon, no cloud, static output; `env` overrides, e.g.
   * NX_DAEMON=true) with GOCACHE set; returns the wall time in ms; throws on failure.
   */
  nx(
    args: readonly string[],
    goCache: string,
    env?: Readonly<Record<string, string | undefined>>,
  ): Promise<number>;
  /** Like `nx`, with Nx's performance measures dumped at exit: the output and the wall time. */
  nxProfiled(
    args: readonly string[],
    goCache: string,
    env?: Readonly<Record<string, string | undefined>>,
  ): Promise<{ ms: number; output: string }>;
  /** Sets options of a project's image target in its project.json. */
  setImageOptions(project: string, options: Readonly<Record<string, unknown>>): void;
  /** Adds (or replaces) a target in a project's project.json. */
  setTarget(project: string, name: string, target: Readonly<Record<string, unknown>>): void;
  /** Sets a project's `targets.image.options.platforms` in its project.json. */
  setPlatforms(project: string, platforms: readonly string[]): void;
  /** A project's image platforms, as its project.json declares them. */
  platforms(project: string): readonly string[];
  /** Removes dist/ and the Nx cache (and, with `graph`, Nx's project-graph cache): a fresh checkout. */
  clearOutputs(options?: { graph?: boolean }): void;
  /** Appends a comment to a Go file (a content change Nx and Go both see); `restore` undoes every edit through git. */
  editGoFile(path: string, marker: string): void;
  restore(): Promise<void>;
  /** A new, empty Go build cache directory; removed by `remove()`. */
  newGoCache(): string;
  remove(): void;
}

/** The environment every benchmarked nx run gets: no daemon, no Nx Cloud, no TUI. */
export const NX_ENV: Readonly<Record<string, string | undefined>> = {
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  NX_SKIP_NX_CACHE: undefined,
};

/** Copies the workspace (tools/scripts/testing/workspace-copy.ts) and wraps it for timed runs. */
export async function createBenchWorkspace(
  runner: Runner,
  options: { withCgo?: boolean; installedPlugin?: boolean } = {},
): Promise<BenchWorkspace> {
  // The package's README is docs/adopt.md.
  const copy: WorkspaceCopy = await copyWorkspace(options.installedPlugin ? ['docs'] : [], {
    withCgo: options.withCgo === true,
  });
  if (options.installedPlugin === true) await installPackedPlugin(runner, copy.root);
  const goCaches: string[] = [];
  const projectJson = (project: string) => join(copy.root, 'apps', project, 'project.json');
  const readProject = (project: string) =>
    JSON.parse(readFileSync(projectJson(project), 'utf8')) as {
      targets: { image: { options: { platforms: string[] } } } & Record<string, unknown>;
    };
  return {
    root: copy.root,
    nx: (args, goCache, env = {}) =>
      timeCommand(runner, {
        command: 'node',
        args: [join(copy.root, 'node_modules/nx/dist/bin/nx.js'), ...args, '--outputStyle=static'],
        options: {
          cwd: copy.root,
          env: { ...NX_ENV, GOCACHE: goCache, ...env },
          timeoutMs: 60 * 60_000,
        },
      }),
    async nxProfiled(args, goCache, env = {}) {
      const started = performance.now();
      const result = await runner.run(
        'node',
        [join(copy.root, 'node_modules/nx/dist/bin/nx.js'), ...args, '--outputStyle=static'],
        {
          cwd: copy.root,
          env: {
            ...NX_ENV,
            GOCACHE: goCache,
            ...env,
            NODE_OPTIONS: `--require ${PERF_DUMP}`,
          },
          timeoutMs: 60 * 60_000,
        },
      );
      return { ms: performance.now() - started, output: `${result.stdout}\n${result.stderr}` };
    },
    setImageOptions(project, options) {
      const config = readProject(project);
      Object.assign(config.targets.image.options, options);
      writeFileSync(projectJson(project), `${JSON.stringify(config, null, 2)}\n`);
    },
    setTarget(project, name, target) {
      const config = readProject(project);
      config.targets[name] = { ...target };
      writeFileSync(projectJson(project), `${JSON.stringify(config, null, 2)}\n`);
    },
    setPlatforms(project, platforms) {
      const config = readProject(project);
      config.targets.image.options.platforms = [...platforms];
      writeFileSync(projectJson(project), `${JSON.stringify(config, null, 2)}\n`);
    },
    platforms: (project) => readProject(project).targets.image.options.platforms,
    clearOutputs(options = {}) {
      rmSync(join(copy.root, 'dist'), { recursive: true, force: true });
      rmSync(join(copy.root, '.nx', 'cache'), { recursive: true, force: true });
      if (options.graph)
        rmSync(join(copy.root, '.nx', 'workspace-data'), { recursive: true, force: true });
    },
    editGoFile(path, marker) {
      const file = join(copy.root, path);
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n// ${marker}\n`);
    },
    async restore() {
      await copy.git(['checkout', '-q', '--', '.']);
    },
    newGoCache() {
      const dir = mkdtempSync(join(tmpdir(), 'crossdock-bench-gocache-'));
      goCaches.push(dir);
      return dir;
    },
    remove() {
      for (const dir of goCaches) rmSync(dir, { recursive: true, force: true });
      copy.remove();
    },
  };
}

/**
 * Puts the published form of @crossdock/nx (`npm run package`: the bundle, schemas and
 * manifest) into the copy's node_modules in place of its link to tools/crossdock: the plugin
 * as a user installs it. Nx treats a plugin whose files are outside node_modules as a local
 * one and loads TypeScript to look for its executors' sources, in the nx process and in the
 * batch process (about 0.3 s per run here), which an installed plugin never costs.
 */
async function installPackedPlugin(runner: Runner, root: string): Promise<void> {
  await runner.run('node', [join(root, 'tools/crossdock/scripts/package.js')], { cwd: root });
  const installed = join(root, 'node_modules/@crossdock/nx');
  rmSync(installed, { recursive: true, force: true });
  cpSync(join(root, 'dist/package/stage'), installed, { recursive: true });
  rmSync(join(root, 'dist'), { recursive: true, force: true });
}
