import { join } from 'node:path';
import type { Tree } from 'nx/src/generators/tree';
import { VersionActions } from 'nx/release';
import { readProjectVersion, writeProjectVersion } from './project-version';

/**
 * nx release's version actions for crossdock's Go apps, which have no package.json. The
 * version is kept in the project's own Nx manifest, project.json, as the image target's
 * `version` option (targets.image.options.version): `nx release version` rewrites it,
 * commits it and tags `<project>@<version>`, and every target built from it (compile,
 * image, push) then stamps and labels that version, with the cache keyed on it. Configure
 * with `"versionActions": "@crossdock/nx/release/version-actions"` (`crossdock init
 * --release` does).
 */
export default class CrossdockVersionActions extends VersionActions {
  validManifestFilenames = ['project.json'];

  async readCurrentVersionFromSourceManifest(
    tree: Tree,
  ): Promise<{ currentVersion: string; manifestPath: string } | null> {
    const manifestPath = join(this.projectGraphNode.data.root, 'project.json');
    const currentVersion = readProjectVersion(tree.read(manifestPath, 'utf-8'));
    return currentVersion === undefined ? null : { currentVersion, manifestPath };
  }

  async readCurrentVersionFromRegistry(): Promise<null> {
    return null;
  }

  async readCurrentVersionOfDependency(): Promise<{
    currentVersion: null;
    dependencyCollection: null;
  }> {
    // Go imports are not versioned by nx release: a Go library is built into each app.
    return { currentVersion: null, dependencyCollection: null };
  }

  async updateProjectVersion(tree: Tree, newVersion: string): Promise<string[]> {
    const logs: string[] = [];
    for (const { manifestPath } of this.manifestsToUpdate) {
      tree.write(manifestPath, writeProjectVersion(tree.read(manifestPath, 'utf-8'), newVersion));
      logs.push(
        `✍️  New version ${newVersion} written to ${manifestPath} (targets.image.options.version)`,
      );
    }
    return logs;
  }

  async updateProjectDependencies(): Promise<string[]> {
    return [];
  }
}
