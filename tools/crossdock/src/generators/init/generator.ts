import { join, relative } from 'node:path';
import { formatFiles, logger, readNxJson, updateNxJson, writeJson, type Tree } from '@nx/devkit';
import { parsePlatformList, formatPlatform } from '@crossdock/platform';
import { memoizedPackageReader } from '../../go/app-closures';
import { mainPackageDirs } from '../../go/main-packages';
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
 * Registers the crossdock plugin in nx.json (with the platforms, when given) and reports the
 * Go main packages it will turn into projects. crossdock declares every input itself, so
 * nx.json needs no named inputs. Running it again changes nothing.
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
  } else {
    logger.info(`crossdock: ${PLUGIN} is already in nx.json; left as it is`);
  }
  if (schema.release) addReleaseConfig(tree);
  const found = goMainPackages(tree);
  if (found.length === 0) {
    logger.warn(
      'crossdock: no Go main package found (no go.mod with a package main below it); add one, then run: npx nx show projects',
    );
  } else {
    logger.info(
      `crossdock: ${found.length} Go main package(s) become projects with compile, image, smoke and push targets:`,
    );
    for (const dir of found) logger.info(`  ${dir === '' ? '.' : dir}`);
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

/** The main package directories of every go.mod of the workspace (relative), as the plugin will see them. */
function goMainPackages(tree: Tree): string[] {
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
  return modules
    .flatMap((dir) => mainPackageDirs(join(tree.root, dir), readPackage))
    .map((dir) => relative(tree.root, dir))
    .sort();
}

export default initGenerator;
