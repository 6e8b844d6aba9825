import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createNodesFromFiles, type CreateNodesContextV2, type CreateNodesResult, type CreateNodesV2 } from '@nx/devkit';
import { normalizeOptions } from '../options/normalize-options';
import { goPackageName } from './go-sources';
import { appTargets, GO_SOURCES_INPUT } from './targets';

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
 * project.json sits beside a Go main package. Reads only project.json and the heads of
 * .go files; never runs Go.
 */
export const createNodesV2: CreateNodesV2<CrossdockPluginOptions> = [
  '**/project.json',
  (files, options, context) => {
    const goLibraryRoots = files.map((file) => dirname(file)).filter((root) => {
      const pkg = goPackageName(join(context.workspaceRoot, root));
      return pkg !== undefined && pkg !== 'main';
    });
    return createNodesFromFiles(
      (file, pluginOptions, ctx) => inferGoApp(file, pluginOptions ?? {}, ctx, goLibraryRoots),
      files,
      options ?? {},
      context,
    );
  },
];

function inferGoApp(
  file: string,
  pluginOptions: CrossdockPluginOptions,
  context: CreateNodesContextV2,
  goLibraryRoots: readonly string[],
): CreateNodesResult {
  const projectRoot = dirname(file);
  const projectJson = JSON.parse(readFileSync(join(context.workspaceRoot, file), 'utf8')) as ProjectJson;
  const projectOptions = projectJson.targets?.image?.options;
  const main = typeof projectOptions?.main === 'string' ? projectOptions.main : typeof pluginOptions.main === 'string' ? pluginOptions.main : '.';
  const isGoApp = goPackageName(join(context.workspaceRoot, projectRoot, main)) === 'main';
  if (!isGoApp && projectOptions === undefined) return {};

  const name = projectJson.name ?? projectRoot.split('/').pop()!;
  const options = normalizeOptions(name, [
    { source: 'nx.json (plugin @crossdock/nx options)', values: pluginOptions },
    { source: `${file} (targets.image.options)`, values: projectOptions },
  ]);
  const rawOptions = { ...pluginOptions, ...projectOptions };
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
  return {
    projects: {
      [projectRoot]: {
        targets: appTargets({ projectRoot, rawOptions, options, goLibraryRoots, goSourcesDefined: context.nxJsonConfiguration?.namedInputs?.[GO_SOURCES_INPUT] !== undefined, bases }),
        metadata: { technologies: ['go'] },
      },
    },
  };
}
