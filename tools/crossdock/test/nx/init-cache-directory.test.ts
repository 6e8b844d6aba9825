import { describe, expect, it } from 'vitest';
import { readJson, readNxJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { CACHE_DIRECTORY, initGenerator } from '../../src/nx/generators/init/generator';

describe('nx g @crossdock/nx:init and the local cache', () => {
  it('pins cacheDirectory to .nx/cache when nx.json names none (one path on Nx 22, 23 and 24)', async () => {
    const tree = createTreeWithEmptyWorkspace();
    const before = readJson(tree, 'nx.json') as Record<string, unknown>;
    delete before['cacheDirectory'];
    tree.write('nx.json', JSON.stringify(before));
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.cacheDirectory).toBe(CACHE_DIRECTORY);
    expect(CACHE_DIRECTORY).toBe('.nx/cache');
  });

  it("keeps the user's cacheDirectory", async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write(
      'nx.json',
      JSON.stringify({ ...readJson(tree, 'nx.json'), cacheDirectory: '/cache/nx' }),
    );
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.cacheDirectory).toBe('/cache/nx');
  });

  it('writes it into a new nx.json of a plain Go repository', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.delete('nx.json');
    await initGenerator(tree, { skipFormat: true });
    expect(readJson(tree, 'nx.json')).toMatchObject({ cacheDirectory: '.nx/cache' });
  });
});
