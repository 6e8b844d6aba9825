import { offsetFromRoot, readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import type { AppOptions } from './normalize-app-options';
import { GO_TAG } from '../../nodes/project-tags';

const PLUGIN = '@crossdock/nx';

/** The project.json of a generated app: its crossdock options live under targets.image.options. */
export function appProjectJson(
  options: AppOptions,
  ldflags: readonly string[] | undefined,
): Readonly<Record<string, unknown>> {
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
    tags: [GO_TAG],
    targets: { image: { options: imageOptions } },
  };
}

/**
 * Makes nx.json ready for crossdock apps: registers the plugin if it is missing (the plugin
 * declares every input itself, so nx.json needs nothing else). Returns the ldflags the app
 * must set itself: the version stamp of the buildinfo package, unless the plugin's defaults
 * already stamp it.
 */
export function prepareNxJson(tree: Tree, options: AppOptions): readonly string[] | undefined {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const entry = plugins.find((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN);
  const pluginOptions =
    entry !== undefined && typeof entry !== 'string'
      ? ((entry.options ?? {}) as Record<string, unknown>)
      : {};
  if (entry === undefined)
    updateNxJson(tree, { ...nxJson, plugins: [...plugins, { plugin: PLUGIN, options: {} }] });
  const stamp = `-X ${options.buildinfoImport}.Version={version}`;
  const defaults = Array.isArray(pluginOptions.ldflags) ? (pluginOptions.ldflags as unknown[]) : [];
  return defaults.includes(stamp) ? undefined : ['-s', '-w', stamp];
}
