import { join } from 'node:path';
import type { Tree } from 'nx/src/generators/tree';
import { VersionActions } from 'nx/release';
import { readProjectVersion, writeProjectVersion } from './project-version';
import { parseSemver } from './release-tags';
import { GO_TAG } from '../nodes/project-tags';

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

  private get manifestPath(): string {
    return join(this.projectGraphNode.data.root, 'project.json');
  }

  /** An app crossdock inferred has no project.json yet: its first release writes one. */
  override async init(tree: Tree): Promise<void> {
    await super.init(tree);
    if (this.manifestsToUpdate.length === 0)
      this.manifestsToUpdate.push({
        manifestPath: this.manifestPath,
        preserveLocalDependencyProtocols: false,
      });
  }

  override async validate(): Promise<void> {
    // project.json is written when it is missing: nothing to check.
  }

  /**
   * The version in project.json; for an app without one, the version option it builds with
   * (nx.json's plugin options) when that is a semantic version, else 0.0.0.
   */
  async readCurrentVersionFromSourceManifest(
    tree: Tree,
  ): Promise<{ currentVersion: string; manifestPath: string }> {
    const manifestPath = this.manifestPath;
    const written = readProjectVersion(tree.read(manifestPath, 'utf-8'));
    if (written !== undefined) return { currentVersion: written, manifestPath };
    const configured = this.projectGraphNode.data.targets?.['image']?.options?.['version'];
    return {
      currentVersion:
        typeof configured === 'string' && parseSemver(configured) ? configured : '0.0.0',
      manifestPath: `${manifestPath} (not written yet)`,
    };
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
      // An inferred app's new project.json keeps what inference gave it (name, lang:go tag).
      tree.write(
        manifestPath,
        writeProjectVersion(tree.read(manifestPath, 'utf-8'), newVersion, {
          name: this.projectGraphNode.name,
          projectType: 'application',
          tags: [GO_TAG],
        }),
      );
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
