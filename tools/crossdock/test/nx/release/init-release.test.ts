import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNxJson, updateNxJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { createNxReleaseConfig } from 'nx/src/command-line/release/config/config';
import { initGenerator } from '../../../src/nx/generators/init/generator';
import { goReleaseConfig } from '../../../src/nx/release/release-config';

const REPO = join(__dirname, '../../../../..');

describe('init --release', () => {
  it("adds nx.json's release section for the Go apps", async () => {
    const tree = createTreeWithEmptyWorkspace();
    await initGenerator(tree, { release: true, skipFormat: true });
    expect(readNxJson(tree)?.release).toEqual(goReleaseConfig());
    expect(readNxJson(tree)?.release).toMatchObject({
      projects: ['tag:crossdock:image'],
      version: { versionActions: '@crossdock/nx/release/version-actions' },
    });
  });

  it('leaves an existing release section as it is, and adds none without --release', async () => {
    const tree = createTreeWithEmptyWorkspace();
    updateNxJson(tree, { ...readNxJson(tree), release: { projects: ['api'] } });
    await initGenerator(tree, { release: true, skipFormat: true });
    expect(readNxJson(tree)?.release).toEqual({ projects: ['api'] });
    const plain = createTreeWithEmptyWorkspace();
    await initGenerator(plain, { skipFormat: true });
    expect(readNxJson(plain)?.release).toBeUndefined();
  });

  it('is accepted by Nx: conventional commits from the <project>@<version> tag, project.json before the first', async () => {
    const graph = {
      nodes: {
        relay: {
          name: 'relay',
          type: 'app',
          data: { root: 'apps/relay', tags: ['lang:go', 'crossdock:image'] },
        },
      },
      dependencies: {},
    } as unknown as Parameters<typeof createNxReleaseConfig>[0];
    const { error, nxReleaseConfig } = await createNxReleaseConfig(graph, {}, goReleaseConfig());
    expect(error).toBeNull();
    expect(Object.values(nxReleaseConfig?.groups ?? {}).map((group) => group.version)).toEqual([
      expect.objectContaining({
        specifierSource: 'conventional-commits',
        currentVersionResolver: 'git-tag',
        fallbackCurrentVersionResolver: 'disk',
        versionActions: '@crossdock/nx/release/version-actions',
      }),
    ]);
  });

  it('is what the sample workspace uses', () => {
    const nxJson = JSON.parse(readFileSync(join(REPO, 'nx.json'), 'utf8'));
    expect(nxJson.release).toEqual(goReleaseConfig());
  });
});
