import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { logger, type Tree } from '@nx/devkit';
import { createTree } from '@nx/devkit/testing';
import { initGenerator } from '../../src/nx/generators/init/generator';
import { writeWorkspace } from '../workspace-fixture';

/**
 * Runs init on a real directory (it reads the Go files from disk) and writes what it changed.
 * The tree is Nx's file-system tree (the class behind createTree), rooted at `root`.
 */
async function runInit(root: string, schema: { platforms?: string } = {}): Promise<void> {
  const FsTree = createTree().constructor as new (root: string, verbose: boolean) => Tree;
  const tree = new FsTree(root, false);
  await initGenerator(tree, { ...schema, skipFormat: true });
  for (const change of tree.listChanges()) {
    mkdirSync(dirname(join(root, change.path)), { recursive: true });
    if (change.type !== 'DELETE') writeFileSync(join(root, change.path), change.content!);
  }
}

describe('init', () => {
  let said: string[] = [];
  beforeEach(() => {
    said = [];
    vi.spyOn(logger, 'info').mockImplementation((m: unknown) => void said.push(String(m)));
    vi.spyOn(logger, 'warn').mockImplementation((m: unknown) => void said.push(String(m)));
  });
  afterEach(() => vi.restoreAllMocks());

  const repo = {
    'go.mod': 'module example.com/svc\n\ngo 1.26\n',
    'cmd/api/main.go': 'package main\n\nfunc main() {}\n',
    'cmd/wintool/main.go': '//go:build windows\n\npackage main\n\nfunc main() {}\n',
    'internal/server/server.go': 'package server\n',
    'internal/server/gen.go': '//go:build ignore\n\npackage main\n\nfunc main() {}\n',
    '.gitignore': 'node_modules\n',
  };

  it('lists the mains, says in one line why one gets no image, and ignores dist/ and Nx folders', async () => {
    const root = writeWorkspace(repo);
    await runInit(root);
    expect(said).toContain('crossdock: added dist/, .nx/cache, .nx/workspace-data to .gitignore');
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe(
      'node_modules\ndist/\n.nx/cache\n.nx/workspace-data\n',
    );
    expect(said).toContain(
      'crossdock: 2 Go main package(s) become projects with compile, image, smoke and push targets:',
    );
    expect(said).toContain('  cmd/api');
    expect(said).toContain(
      '  cmd/wintool: no image, no configured platform (linux/amd64, linux/arm64) compiles it: build constraints exclude all Go files for linux/amd64 (main.go: //go:build windows)',
    );
    expect(said.join('\n')).not.toContain('internal/server');
  });

  it('run again with --platforms updates the plugin options and says so; .gitignore left alone', async () => {
    const root = writeWorkspace(repo);
    await runInit(root);
    said = [];
    await runInit(root, { platforms: 'linux/amd64,arm64,armhf' });
    expect(said).toContain(
      'crossdock: @crossdock/nx is in nx.json; set its platforms to linux/amd64, linux/arm64, linux/arm/v7',
    );
    expect(said.join('\n')).not.toContain('.gitignore');
    const nxJson = JSON.parse(readFileSync(join(root, 'nx.json'), 'utf8')) as {
      plugins: { plugin: string; options: Record<string, unknown> }[];
    };
    expect(nxJson.plugins).toEqual([
      {
        plugin: '@crossdock/nx',
        options: { platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] },
      },
    ]);
    said = [];
    await runInit(root);
    expect(said).toContain('crossdock: @crossdock/nx is already in nx.json; left as it is');
  });

  it('an existing .nx or dist line counts: nothing is added twice', async () => {
    const root = writeWorkspace({ ...repo, '.gitignore': '/dist\n.nx\n' });
    await runInit(root);
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe('/dist\n.nx\n');
  });
});
