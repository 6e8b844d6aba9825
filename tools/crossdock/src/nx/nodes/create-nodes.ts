import { dirname, join, relative } from 'node:path';
import { readFileSync } from 'node:fs';
import type {
  CreateNodes,
  CreateNodesContext,
  CreateNodesResult,
  CreateNodesResultArray,
} from '@nx/devkit';
import { normalizeOptions, type CrossdockOptions } from '../../options/normalize-options';
import { ignoredClosureFiles } from './ignored-files';
import {
  appBuildSpec,
  appClosures,
  memoizedPackageReader,
  type AppClosures,
} from '../../go/app-closures';
import type { PackageReader } from '../../go/closure';
import { globMatches } from '../../go/glob-match';
import { mainPackageDirs, mainPackageName } from '../../go/main-packages';
import { parseModulePath } from '../../go/modules';
import { isMainPackage } from '../../go/main-package-platforms';
import { compilablePlatforms } from './compilable-platforms';
import { checkPluginOptions, PLUGIN_OPTIONS_SOURCE } from '../../options/plugin-options';
import { compileInputs } from './compile-inputs';
import { GO_TAG, IMAGE_TAG } from './project-tags';
import { revisionPathspecs } from '../../image/revision';
import { packageProjects } from './package-projects';
import { appTargets } from './targets';

/** Plugin options in nx.json: defaults of the crossdock options for every project. */
export type CrossdockPluginOptions = Readonly<Record<string, unknown>>;

interface ProjectJson {
  readonly name?: string;
  readonly targets?: {
    readonly image?: {
      readonly options?: Record<string, unknown>;
      readonly configurations?: Record<string, Record<string, unknown> | undefined>;
    };
  };
}

/**
 * Infers compile--<platform>, compile, image, smoke, push and cell targets for every Go main
 * package: beside a project.json (which may set options), or anywhere in a module of the
 * workspace (every go.mod) without one, named from its directory; nx.json's `include` and
 * `exclude` globs choose which. Each compile's inputs are the exact files its Go closure
 * reads, and every package of a closure that no project owns becomes a project (so
 * `nx graph` and `nx affected` show it). Reads project.json and go.mod files and the Go files
 * of the modules (headers and embed directives); never runs Go.
 */
export const createNodes: CreateNodes<CrossdockPluginOptions> = [
  '**/{project.json,go.mod}',
  async (files, options, context) => {
    // A mistake in nx.json is one error, not one per project.
    checkPluginOptions(options ?? {});
    const { inference, crossdockOptions: pluginOptions } = splitPluginOptions(options ?? {});
    const readPackage = memoizedPackageReader();
    const projectJsonFiles = files.filter((file) => file.endsWith('project.json'));
    const projectRoots = projectJsonFiles.map((file) => dirname(file));
    const inferred = inferMainPackages(
      context.workspaceRoot,
      files.filter((file) => file.endsWith('go.mod')),
      projectRoots,
      inference,
      readPackage,
    );
    // First every app's closures, then one look at which of their files git ignores, then the targets.
    const prepared = new Map<string, PreparedApp | Error | undefined>();
    const preparedByModule = new Map<string, PreparedApp[] | Error>();
    for (const file of projectJsonFiles) {
      try {
        prepared.set(file, prepareProjectJsonApp(file, pluginOptions, context, readPackage));
      } catch (error) {
        prepared.set(file, error as Error);
      }
    }
    for (const [goMod, mains] of inferred) {
      try {
        preparedByModule.set(
          goMod,
          mains.map((main) =>
            prepareGoApp(
              main.name,
              main.root,
              `${main.root} (a main package without project.json)`,
              true,
              pluginOptions,
              undefined,
              {},
              context,
              readPackage,
            ),
          ),
        );
      } catch (error) {
        preparedByModule.set(goMod, error as Error);
      }
    }
    const apps = [...prepared.values(), ...[...preparedByModule.values()].flat()].filter(
      (app): app is PreparedApp => app !== undefined && !(app instanceof Error),
    );
    const ignored = await ignoredClosureFiles(
      context.workspaceRoot,
      apps.flatMap((app) => app.closures.closures),
    );
    const results = await resultsPerFile(files, (file) => {
      const app = file.endsWith('go.mod') ? preparedByModule.get(file) : prepared.get(file);
      if (app instanceof Error) throw app;
      if (app === undefined) return {};
      const list = Array.isArray(app) ? app : [app];
      return {
        projects: Object.assign(
          {},
          ...list.map((a) => appNode(a, context.workspaceRoot, ignored).projects),
        ),
      };
    });
    // A project.json project owns the packages below it; an inferred app only its own directory.
    const owned = (dir: string) =>
      projectRoots.some((p) => p === '.' || dir === p || dir.startsWith(`${p}/`)) ||
      apps.some((app) => app.inferred && app.projectRoot === dir);
    for (const { root, file, project } of packageProjects(
      context.workspaceRoot,
      apps,
      owned,
      readPackage,
    )) {
      results.push([file, { projects: { [root]: project } }]);
    }
    return results;
  },
];

/** Which main packages without a project.json become projects (nx.json plugin options). */
interface InferenceOptions {
  /** Globs of main package directories, relative to the workspace (Go syntax, `/**` for below); default: all. */
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

/** The plugin options that steer inference, apart from the crossdock options every project inherits. */
function splitPluginOptions(options: CrossdockPluginOptions): {
  inference: InferenceOptions;
  crossdockOptions: CrossdockPluginOptions;
} {
  const { include, exclude, ...crossdockOptions } = options as Record<string, unknown>;
  const list = (key: string, value: unknown, fallback: readonly string[]): readonly string[] => {
    if (value === undefined) return fallback;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      throw new Error(
        `@crossdock/nx: plugin option "${key}" in nx.json must be a list of directory globs (e.g. ["cmd/**"]), not ${JSON.stringify(value)}`,
      );
    }
    return value as string[];
  };
  return {
    inference: { include: list('include', include, ['**']), exclude: list('exclude', exclude, []) },
    crossdockOptions,
  };
}

/** Every main package of the modules (by go.mod file) that no project.json covers, with its inferred name and root. */
function inferMainPackages(
  workspaceRoot: string,
  goModFiles: readonly string[],
  projectRoots: readonly string[],
  inference: InferenceOptions,
  readPackage: PackageReader,
): Map<string, { name: string; root: string }[]> {
  const covered = (root: string) =>
    projectRoots.some((p) => p === '.' || root === p || root.startsWith(`${p}/`));
  const matches = (patterns: readonly string[], root: string) =>
    patterns.some((pattern) => pattern === '**' || globMatches(pattern, root));
  const byModule = new Map<string, { name: string; root: string }[]>();
  const names = new Map<string, number>();
  for (const goMod of goModFiles) {
    // Modules under directories go ignores (testdata/, _x/, .x/, vendor/) are fixtures, not services.
    if (
      dirname(goMod)
        .split('/')
        .some(
          (part) =>
            part === 'testdata' || part === 'vendor' || (/^[._]/.test(part) && part !== '.'),
        )
    )
      continue;
    const moduleDir = join(workspaceRoot, dirname(goMod));
    const modulePath = parseModulePath(readFileSync(join(workspaceRoot, goMod), 'utf8'));
    if (modulePath === undefined) continue;
    const mains = mainPackageDirs(moduleDir, readPackage)
      .map((dir) => ({ dir, root: relative(workspaceRoot, dir) || '.' }))
      .filter(
        ({ root }) =>
          !covered(root) && matches(inference.include, root) && !matches(inference.exclude, root),
      )
      .map(({ dir, root }) => ({
        root,
        name: mainPackageName(workspaceRoot, moduleDir, modulePath, dir),
      }));
    for (const main of mains) names.set(main.name, (names.get(main.name) ?? 0) + 1);
    byModule.set(goMod, mains);
  }
  // Two main packages of the same name (cmd/server in two modules) are named by their path.
  for (const mains of byModule.values()) {
    for (const main of mains)
      if ((names.get(main.name) ?? 0) > 1) main.name = main.root.split('/').join('-');
  }
  return byModule;
}

/** A Go app found by createNodes, before its targets are made: its options and Go closures. */
interface PreparedApp {
  readonly name: string;
  /** True for a main package without a project.json: createNodes names the project. */
  readonly inferred: boolean;
  readonly projectRoot: string;
  readonly rawOptions: Readonly<Record<string, unknown>>;
  readonly options: CrossdockOptions;
  readonly bases: readonly string[];
  readonly closures: AppClosures;
  /** Why a main package gets no image: build constraints exclude it on every configured platform. */
  readonly noImage?: string;
}

function prepareProjectJsonApp(
  file: string,
  pluginOptions: CrossdockPluginOptions,
  context: CreateNodesContext,
  readPackage: PackageReader,
): PreparedApp | undefined {
  const projectRoot = dirname(file);
  const projectJson = JSON.parse(
    readFileSync(join(context.workspaceRoot, file), 'utf8'),
  ) as ProjectJson;
  const projectOptions = projectJson.targets?.image?.options;
  const main =
    typeof projectOptions?.main === 'string'
      ? projectOptions.main
      : typeof pluginOptions.main === 'string'
        ? pluginOptions.main
        : '.';
  const isGoApp = isMainPackage(readPackage(join(context.workspaceRoot, projectRoot, main)));
  if (!isGoApp && projectOptions === undefined) return undefined;
  const name = projectJson.name ?? projectRoot.split('/').pop()!;
  return prepareGoApp(
    name,
    projectRoot,
    `${file} (targets.image.options)`,
    false,
    pluginOptions,
    projectOptions,
    projectJson.targets?.image?.configurations ?? {},
    context,
    readPackage,
  );
}

function prepareGoApp(
  name: string,
  projectRoot: string,
  source: string,
  inferred: boolean,
  pluginOptions: CrossdockPluginOptions,
  projectOptions: Record<string, unknown> | undefined,
  configurations: Record<string, Record<string, unknown> | undefined>,
  context: CreateNodesContext,
  readPackage: PackageReader,
): PreparedApp {
  const plugin = { source: PLUGIN_OPTIONS_SOURCE, values: pluginOptions };
  const options = normalizeOptions(name, [plugin, { source, values: projectOptions }]);
  // Configurations (nx run <project>:image:<name>) are merged into the options at run time;
  // checked here too, and their bases become inputs of the image target.
  const bases = [options.base];
  for (const [configuration, values] of Object.entries(configurations)) {
    bases.push(
      normalizeOptions(name, [
        plugin,
        { source, values: projectOptions },
        {
          source: `${source.replace(/ \(.*$/, '')} (targets.image.configurations.${configuration})`,
          values,
        },
      ]).base,
    );
  }
  // Only the platforms whose build constraints let the main package compile (see compilablePlatforms).
  const compilable = compilablePlatforms(
    name,
    source,
    join(context.workspaceRoot, projectRoot, options.main),
    options,
    projectOptions?.platforms !== undefined,
    readPackage,
  );
  const closures = appClosures(
    context.workspaceRoot,
    appBuildSpec(projectRoot, compilable.options),
    readPackage,
  );
  return {
    name,
    inferred,
    projectRoot,
    rawOptions: { ...pluginOptions, ...projectOptions, ...compilable.rawOptions },
    options: compilable.options,
    bases,
    closures,
    ...(compilable.noImage === undefined ? {} : { noImage: compilable.noImage }),
  };
}

function appNode(
  app: PreparedApp,
  workspaceRoot: string,
  ignored: ReadonlySet<string>,
): CreateNodesResult {
  // A project.json beside a main keeps it an application with the lang:go tag (Nx merges tags);
  // one with an image also carries IMAGE_TAG, which nx release's group selects.
  const identity = {
    ...(app.inferred ? { name: app.name } : {}),
    projectType: 'application' as const,
    tags: [GO_TAG],
  };
  if (app.noImage !== undefined)
    return { projects: { [app.projectRoot]: noImageProject(app, identity.tags) } };
  return {
    projects: {
      [app.projectRoot]: {
        ...identity,
        tags: [...identity.tags, IMAGE_TAG],
        targets: appTargets({
          projectRoot: app.projectRoot,
          rawOptions: app.rawOptions,
          options: app.options,
          compileInputs: app.closures.closures.map((closure) =>
            compileInputs(workspaceRoot, closure, ignored),
          ),
          revisionPathspecs: revisionPathspecs(workspaceRoot, app.closures),
          bases: app.bases,
        }),
        metadata: { technologies: ['go'] },
      },
    },
  };
}

/** A main package that builds for none of its platforms: a project without targets that says why. */
function noImageProject(app: PreparedApp, tags: string[]) {
  return {
    ...(app.inferred ? { name: app.name } : {}),
    tags,
    targets: {},
    metadata: {
      technologies: ['go'],
      description: `Go main package without an image: ${app.noImage}`,
    },
  };
}

/**
 * Each file's nodes, as Nx's createNodesFromFiles gives them: the files that fail are
 * reported together with their errors (Nx's AggregateCreateNodesError), the others kept.
 * Here rather than Nx's helper so that the plugin loads @nx/devkit (about 25 ms of every nx
 * command) only when a file fails.
 */
async function resultsPerFile(
  files: readonly string[],
  nodesOf: (file: string) => CreateNodesResult,
): Promise<CreateNodesResultArray> {
  const results: CreateNodesResultArray = [];
  const errors: [file: string, error: Error][] = [];
  for (const file of files) {
    try {
      results.push([file, nodesOf(file)]);
    } catch (error) {
      errors.push([file, error as Error]);
    }
  }
  if (errors.length === 0) return results;
  const { AggregateCreateNodesError } = await import('@nx/devkit');
  throw new AggregateCreateNodesError(errors, results);
}
