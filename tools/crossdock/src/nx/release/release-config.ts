import type { NxJsonConfiguration } from '@nx/devkit';
import { IMAGE_TAG } from '../nodes/project-tags';

/** Where nx release finds crossdock's version actions (the package's release/version-actions.js). */
export const VERSION_ACTIONS = '@crossdock/nx/release/version-actions';

/**
 * nx.json's release section for the Go apps crossdock builds images for (the tag
 * crossdock:image; never the Go libraries, which carry lang:go only):
 * each versioned on its own and tagged `<project>@<version>`, the version kept in the app's
 * project.json (the image target's version option) by crossdock's version actions,
 * `nx release version` committing and tagging, and `nx release publish` running each app's
 * nx-release-publish target. `nx release version` without a specifier bumps each app from the
 * conventional commits that touched it since its last `<project>@<version>` tag
 * (`conventionalCommits`, which makes Nx read the current version from that tag); an app never
 * released yet falls back to the version in its project.json (`fallbackCurrentVersionResolver`).
 * No changelog files: `nx release changelog` works when wanted.
 */
export function goReleaseConfig(): NonNullable<NxJsonConfiguration['release']> {
  return {
    projects: [`tag:${IMAGE_TAG}`],
    projectsRelationship: 'independent',
    releaseTag: { pattern: '{projectName}@{version}' },
    version: {
      conventionalCommits: true,
      fallbackCurrentVersionResolver: 'disk',
      git: { commit: true, tag: true },
      versionActions: VERSION_ACTIONS,
    },
    changelog: { projectChangelogs: false, workspaceChangelog: false },
  } as NonNullable<NxJsonConfiguration['release']>;
}
