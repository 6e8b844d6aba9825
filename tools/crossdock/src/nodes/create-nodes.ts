import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createNodesFromFiles, type CreateNodesContextV2, type CreateNodesResult, type CreateNodesResultV2, type CreateNodesV2 } from '@nx/devkit';
import { normalizeOptions, type CrossdockOptions } from '../options/normalize-options';
import { ignoredClosureFiles } from './ignored-files';
import { appBuildSpec, appClosures, memoizedPackageReader, revisionPaths, type AppClosures } from '../go/app-closures';
import type { PackageReader } from '../go/closure';
import { goPackageName } from './go-sources';
import { compileInputs } from './compile-inputs';
import { packageProjects } from './package-projects';
import { appTargets } from './targets';

/** Plugin options in nx.json: defaults of the crossdock options for every project. */
export type CrossdockPluginOptions = Readonly<Record<string, unknown>>;

interface ProjectJson {
  readonly name?: string;
  readonly targets?: {
    readonly image?: { readonly options?: Record<string, unknown>; readonly configurations?: Record<string, Record<string, unknown> | undefined> };
  };
}

/**
 * Infers compile--<platform>, compile and image targets for every project whose
 * project.json sits beside a Go main package, with the exact files its Go closure reads as
 * inputs, and a project for every package of a closure that belongs to no project (so
 * `nx graph` and `nx affected` show it). Reads project.json files and the Go files of the
 * closures (headers and embed directives); never runs Go.
 */
export const createNodesV2: CreateNodesV2<CrossdockPluginOptions> = [
  '**/project.json',
  async (files, options, context) => {
    const pluginOptions = options ?? {};
    const readPackage = memoizedPackageReader();
    // First every app's closures, then one look at which of their files git ignores, then the targets.
    const prepared = new Map<string, PreparedApp | Error | undefined>();
    for (const file of files) {
      try {
        prepared.set(file, prepareGoApp(file, pluginOptions, context, readPackage));
      } catch (error) {
        prepared.set(file, error as Error);
      }
    }
    const apps = [...prepared.values()].filter((app): app is PreparedApp => app !== undefined && !(app instanceof Error));
    const ignored = ignoredClosureFiles(context.workspaceRoot, apps.flatMap((app) => app.closures.closures));
    const results: CreateNodesResultV2 = await createNodesFromFiles(
      (file) => {
        const app = prepared.get(file);
        if (app instanceof Error) throw app;
        return app === undefined ? {} : appNode(app, context.workspaceRoot, ignored);
      },
      files,
      pluginOptions,
      context,
    );
    for (const { root, file, project } of packageProjects(context.workspaceRoot, apps, files.map((f) => dirname(f)), readPackage)) {
      results.push([file, { projects: { [root]: project } }]);
    }
    return results;
  },
];

/** A Go app found by createNodes, before its targets are made: its options and Go closures. */
interface PreparedApp {
  readonly name: string;
  readonly projectRoot: string;
  readonly rawOptions: Readonly<Record<string, unknown>>;
  readonly options: CrossdockOptions;
  readonly bases: readonly string[];
  readonly closures: AppClosures;
}

function prepareGoApp(file: string, pluginOptions: CrossdockPluginOptions, context: CreateNodesContextV2, readPackage: PackageReader): PreparedApp | undefined {
  const projectRoot = dirname(file);
  const projectJson = JSON.parse(readFileSync(join(context.workspaceRoot, file), 'utf8')) as ProjectJson;
  const projectOptions = projectJson.targets?.image?.options;
  const main = typeof projectOptions?.main === 'string' ? projectOptions.main : typeof pluginOptions.main === 'string' ? pluginOptions.main : '.';
  const isGoApp = goPackageName(join(context.workspaceRoot, projectRoot, main)) === 'main';
  if (!isGoApp && projectOptions === undefined) return undefined;

  const name = projectJson.name ?? projectRoot.split('/').pop()!;
  const options = normalizeOptions(name, [
    { source: 'nx.json (plugin @crossdock/nx options)', values: pluginOptions },
    { source: `${file} (targets.image.options)`, values: projectOptions },
  ]);
  // Configurations (nx run <project>:image:<name>) are merged into the options at run time;
  // checked here too, and their bases become inputs of the image target.
  const bases = [options.base];
  for (const [configuration, values] of Object.entries(projectJson.targets?.image?.configurations ?? {})) {
    const configured = normalizeOptions(name, [
      { source: 'nx.json (plugin @crossdock/nx options)', values: pluginOptions },
      { source: `${file} (targets.image.options)`, values: projectOptions },
      { source: `${file} (targets.image.configurations.${configuration})`, values },
    ]);
    bases.push(configured.base);
  }
  const closures = appClosures(context.workspaceRoot, appBuildSpec(projectRoot, options), readPackage);
  return { name, projectRoot, rawOptions: { ...pluginOptions, ...projectOptions }, options, bases, closures };
}

function appNode(app: PreparedApp, workspaceRoot: string, ignored: ReadonlySet<string>): CreateNodesResult {
  return {
    projects: {
      [app.projectRoot]: {
        targets: appTargets({
          projectRoot: app.projectRoot,
          rawOptions: app.rawOptions,
          options: app.options,
          compileInputs: app.closures.closures.map((closure) => compileInputs(workspaceRoot, closure, ignored)),
          revisionPaths: revisionPaths(workspaceRoot, app.closures),
          bases: app.bases,
        }),
        metadata: { technologies: ['go'] },
      },
    },
  };
}
