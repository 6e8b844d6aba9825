import { join } from 'node:path';
import { generateFiles, joinPathFragments, writeJson, type Tree } from '@nx/devkit';
import { normalizeAppOptions, type AppGeneratorSchema } from './normalize-app-options';
import { appProjectJson, prepareNxJson } from './workspace-config';

/**
 * `nx g @crossdock/nx:app <name>`: scaffolds a Go service that crossdock builds at once with
 * `nx run <name>:image`: main.go (an HTTP service using the buildinfo library, with the
 * `--version` JSON contract the smoke test checks), main_test.go, and a project.json
 * carrying the crossdock options. Also registers the plugin in nx.json when it is missing.
 */
export async function appGenerator(tree: Tree, schema: AppGeneratorSchema): Promise<void> {
  const options = normalizeAppOptions(tree, schema);
  const ldflags = prepareNxJson(tree, options);
  // Templates end in __tmpl__ so that neither go (./...) nor crossdock sees them as Go files.
  generateFiles(tree, join(__dirname, 'files'), options.directory, {
    name: options.name,
    port: options.port,
    envPrefix: options.envPrefix,
    buildinfoImport: options.buildinfoImport,
    tmpl: '',
  });
  writeJson(
    tree,
    joinPathFragments(options.directory, 'project.json'),
    appProjectJson(options, ldflags),
  );
}

export default appGenerator;
