import { offsetFromRoot, readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { GO_SOURCES_DEFINITION, GO_SOURCES_INPUT } from '../../nodes/targets';
import type { AppOptions } from './normalize-app-options';

const PLUGIN = '@crossdock/nx';

/** The project.json of a generated app: its crossdock options live under targets.image.options. */
export function appProjectJson(options: AppOptions, ldflags: readonly string[] | undefined): Readonly<Record<string, unknown>> {
  const imageOptions: Record<string, unknown> = {
    ...(options.platforms ? { platforms: options.platforms } : {}),
    version: options.version,
    ...(ldflags ? { ldflags } : {}),
    ports: [options.port],
  };
  return {
    name: options.name,
    $schema: `${offsetFromRoot(options.directory)}node_modules/nx/schemas/project-schema.json`,
    projectType: 'application',
    sourceRoot: options.directory,
    tags: ['lang:go'],
    targets: { image: { options: imageOptions } },
  };
}

/**
 * Makes nx.json ready for crossdock apps: registers the plugin if it is missing, and defines
 * the goSources named input (a dependency's Go sources without its tests), which makes a
 * library's _test.go a cache hit for the apps that import it. Returns the ldflags the app must
 * set itself: the version stamp of the buildinfo package, unless the plugin's defaults
 * already stamp it.
 */
export function prepareNxJson(tree: Tree, options: AppOptions): readonly string[] | undefined {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const entry = plugins.find((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN);
  const pluginOptions = entry !== undefined && typeof entry !== 'string' ? ((entry.options ?? {}) as Record<string, unknown>) : {};
  const namedInputs = nxJson.namedInputs ?? {};
  if (entry === undefined || !(GO_SOURCES_INPUT in namedInputs)) {
    updateNxJson(tree, {
      ...nxJson,
      plugins: entry === undefined ? [...plugins, { plugin: PLUGIN, options: {} }] : plugins,
      namedInputs: GO_SOURCES_INPUT in namedInputs ? namedInputs : { ...namedInputs, [GO_SOURCES_INPUT]: [...GO_SOURCES_DEFINITION] },
    });
  }
  const stamp = `-X ${options.buildinfoImport}.Version={version}`;
  const defaults = Array.isArray(pluginOptions.ldflags) ? (pluginOptions.ldflags as unknown[]) : [];
  return defaults.includes(stamp) ? undefined : ['-s', '-w', stamp];
}
