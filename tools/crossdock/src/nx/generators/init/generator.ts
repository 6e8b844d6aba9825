import { join, relative } from 'node:path';
import {
  formatFiles,
  logger,
  readNxJson,
  updateNxJson,
  writeJson,
  type NxJsonConfiguration,
  type Tree,
} from '@nx/devkit';
import { parsePlatformList, formatPlatform } from '@crossdock/platform';
import { memoizedPackageReader } from '../../../go/app-closures';
import { mainPackageDirs } from '../../../go/main-packages';
import { compilablePlatforms } from '../../nodes/compilable-platforms';
import { normalizeOptions, type CrossdockOptions } from '../../../options/normalize-options';
import {
  checkPluginOptions,
  PLUGIN_OPTIONS_SOURCE,
  projectDefaults,
} from '../../../options/plugin-options';
import { addGitignoreEntries } from './gitignore';
import { goReleaseConfig } from '../../release/release-config';

/** Options of `nx g @crossdock/nx:init` (also what `nx add @crossdock/nx` runs). */
export interface InitGeneratorSchema {
  readonly platforms?: string;
  /** Also set up nx.json's release section for the Go apps (nx release version / publish). */
  readonly release?: boolean;
  readonly skipFormat?: boolean;
}

const PLUGIN = '@crossdock/nx';

/**
 * Where init pins Nx's local cache when nx.json names none: inside the checkout, the same on
 * Nx 22, 23 and 24. Without it Nx 23+ writes to ~/.nx/<workspace id>/cache (outside the
 * workspace, and only when it can derive an id from git), Nx 22 to .nx/cache; one path is
 * what a CI job can keep between runs (docs/ci.md).
 */
export const CACHE_DIRECTORY = '.nx/cache';

/**
 * Registers the crossdock plugin in nx.json (with the platforms, when given), pins the local
 * cache to {@link CACHE_DIRECTORY} when nx.json names none, and reports the
 * Go main packages it will turn into projects (and why one gets no image); adds dist/ and Nx's
 * cache and workspace-data folders to .gitignore when missing. crossdock declares every input
 * itself, so nx.json needs no named inputs. Running it again changes nothing, unless
 * --platforms asks for other platforms: then it updates them and says so.
 */
export async function initGenerator(tree: Tree, schema: InitGeneratorSchema = {}): Promise<void> {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const registered = plugins.some((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN);
  const platforms =
    schema.platforms === undefined
      ? undefined
      : parsePlatformList(schema.platforms.split(',')).map(formatPlatform);
  if (!registered) {
    const updated = {
      ...nxJson,
      ...(nxJson.cacheDirectory === undefined ? { cacheDirectory: CACHE_DIRECTORY } : {}),
      plugins: [...plugins, { plugin: PLUGIN, options: platforms ? { platforms } : {} }],
    };
    // A plain Go repository has no nx.json yet (updateNxJson only rewrites an existing one).
    if (tree.exists('nx.json')) updateNxJson(tree, updated);
    else
      writeJson(tree, 'nx.json', {
        $schema: './node_modules/nx/schemas/nx-schema.json',
        ...updated,
      });
    logger.info(
      `crossdock: registered ${PLUGIN} in nx.json${platforms ? ` for ${platforms.join(', ')}` : ' (platforms linux/amd64, linux/arm64)'}`,
    );
    if (nxJson.cacheDirectory === undefined)
      logger.info(
        `crossdock: set cacheDirectory to ${CACHE_DIRECTORY} in nx.json (the local cache a CI job keeps between runs; see docs/ci.md)`,
      );
  } else if (platforms !== undefined) {
    // Running init again with --platforms changes the default platforms, and says so.
    const updated = plugins.map((p) =>
      typeof p !== 'string' && p.plugin === PLUGIN
        ? { ...p, options: { ...(p.options as Record<string, unknown>), platforms } }
        : p === PLUGIN
          ? { plugin: PLUGIN, options: { platforms } }
          : p,
    );
    updateNxJson(tree, { ...nxJson, plugins: updated });
    logger.info(`crossdock: ${PLUGIN} is in nx.json; set its platforms to ${platforms.join(', ')}`);
  } else {
    logger.info(`crossdock: ${PLUGIN} is already in nx.json; left as it is`);
  }
  if (schema.release) addReleaseConfig(tree);
  const ignored = addGitignoreEntries(tree);
  if (ignored.length > 0) logger.info(`crossdock: added ${ignored.join(', ')} to .gitignore`);
  const found = goMainPackages(tree, pluginOptionsOf(readNxJson(tree)));
  if (found.length === 0) {
    logger.warn(
      'crossdock: no Go main package found (no go.mod with a package main below it); add one, then run: npx nx show projects',
    );
  } else {
    logger.info(
      `crossdock: ${found.length} Go main package(s) become projects with compile, image, smoke and push targets:`,
    );
    for (const main of found)
      logger.info(
        `  ${main.dir || '.'}${main.noImage === undefined ? '' : `: no image, ${main.noImage}`}`,
      );
    logger.info('crossdock: build them all with: npx nx run-many -t image');
  }
  if (!schema.skipFormat) await formatFiles(tree);
}

/** Adds the release section for the Go apps to nx.json, unless it has one (left as it is). */
function addReleaseConfig(tree: Tree): void {
  const nxJson = readNxJson(tree) ?? {};
  if (nxJson.release) {
    logger.info(
      'crossdock: nx.json already has a release section; left as it is (docs/release.md)',
    );
    return;
  }
  updateNxJson(tree, { ...nxJson, release: goReleaseConfig() });
  logger.info(
    'crossdock: nx.json release section added; release with: npx nx release version 1.4.0 && CROSSDOCK_REGISTRY=<host> npx nx release publish',
  );
}

/** The plugin's options in nx.json (after init's own change). */
function pluginOptionsOf(nxJson: NxJsonConfiguration | null): Record<string, unknown> {
  const entry = (nxJson?.plugins ?? []).find(
    (p) => typeof p !== 'string' && p.plugin === PLUGIN,
  ) as { options?: Record<string, unknown> } | undefined;
  return entry?.options ?? {};
}

/**
 * The main package directories of every go.mod of the workspace (relative), as the plugin will
 * see them, each with why it gets no image when build constraints exclude it on every platform.
 */
function goMainPackages(
  tree: Tree,
  pluginOptions: Record<string, unknown>,
): { dir: string; noImage?: string }[] {
  const readPackage = memoizedPackageReader();
  const modules: string[] = [];
  const visit = (dir: string): void => {
    for (const child of tree.children(dir)) {
      if (
        child === 'node_modules' ||
        child.startsWith('.') ||
        child === 'dist' ||
        child === 'vendor' ||
        child === 'testdata'
      )
        continue;
      const path = dir === '' ? child : `${dir}/${child}`;
      if (child === 'go.mod' && tree.isFile(path)) modules.push(dir);
      else if (!tree.isFile(path)) visit(path);
    }
  };
  visit('');
  let options: CrossdockOptions | undefined;
  try {
    checkPluginOptions(pluginOptions);
    options = normalizeOptions('nx.json', [
      { source: PLUGIN_OPTIONS_SOURCE, values: projectDefaults(pluginOptions) },
    ]);
  } catch (error) {
    logger.warn(`crossdock: ${(error as Error).message}`);
  }
  return modules
    .flatMap((dir) => mainPackageDirs(join(tree.root, dir), readPackage))
    .sort()
    .map((dir) => {
      const noImage =
        options === undefined
          ? undefined
          : compilablePlatforms(dir, 'nx.json', dir, options, false, readPackage).noImage;
      return { dir: relative(tree.root, dir), ...(noImage === undefined ? {} : { noImage }) };
    });
}

export default initGenerator;
