import { describe, expect, it } from 'vitest';
import { readJson, readNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { appGenerator } from '../../src/nx/generators/app/generator';
import { createNodes as crossdockCreateNodes } from '../../src/nx/nodes/create-nodes';
import { writeWorkspace } from '../workspace-fixture';

const MODULE = 'example.com/mono';
const STAMP = `-X ${MODULE}/libs/go/buildinfo.Version={version}`;

/** A virtual workspace with a root Go module, the buildinfo library and the plugin in nx.json. */
function goWorkspace(
  pluginOptions: Record<string, unknown> = { ldflags: ['-s', '-w', STAMP] },
): Tree {
  const tree = createTreeWithEmptyWorkspace();
  tree.write('go.mod', `module ${MODULE}\n\ngo 1.26\n`);
  tree.write('libs/go/buildinfo/buildinfo.go', 'package buildinfo\n');
  tree.write(
    'libs/go/buildinfo/project.json',
    JSON.stringify({ name: 'go-buildinfo', projectType: 'library' }),
  );
  const nxJson = readJson(tree, 'nx.json');
  tree.write(
    'nx.json',
    JSON.stringify({
      ...nxJson,
      namedInputs: { default: ['{projectRoot}/**/*'] },
      plugins: [{ plugin: '@crossdock/nx', options: pluginOptions }],
    }),
  );
  return tree;
}

describe('nx g @crossdock/nx:app', () => {
  it('writes main.go, main_test.go and project.json under apps/<name>', async () => {
    const tree = goWorkspace();
    await appGenerator(tree, { name: 'order-api', platforms: 'linux/amd64, aarch64,armhf' });

    const main = tree.read('apps/order-api/main.go', 'utf-8')!;
    expect(main).toMatch(/^package main$/m);
    expect(main).toContain(`"${MODULE}/libs/go/buildinfo"`);
    expect(main).toContain('name        = "order-api"');
    expect(main).toContain('fs.Bool("version", false');
    expect(main).toContain('"ORDER_API_ADDR"');
    expect(main).not.toContain('<%');
    const test = tree.read('apps/order-api/main_test.go', 'utf-8')!;
    expect(test).toContain('func TestRunVersion(t *testing.T)');
    expect(tree.exists('apps/order-api/main.go__tmpl__')).toBe(false);

    expect(readJson(tree, 'apps/order-api/project.json')).toEqual({
      name: 'order-api',
      $schema: '../../node_modules/nx/schemas/project-schema.json',
      projectType: 'application',
      sourceRoot: 'apps/order-api',
      tags: ['lang:go'],
      // Aliases are normalised; the version stamp comes from the plugin defaults.
      targets: {
        image: {
          options: {
            platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
            version: '0.1.0',
            ports: [8080],
          },
        },
      },
    });
  });

  it('honours --directory, --appVersion and --port, and inherits the platforms when none are given', async () => {
    const tree = goWorkspace();
    await appGenerator(tree, {
      name: 'billing',
      directory: 'services/billing/',
      appVersion: '2.0.0',
      port: 9100,
    });
    expect(tree.read('services/billing/main.go', 'utf-8')).toContain('defaultAddr = ":9100"');
    const project = readJson(tree, 'services/billing/project.json');
    expect(project.$schema).toBe('../../node_modules/nx/schemas/project-schema.json');
    expect(project.targets.image.options).toEqual({ version: '2.0.0', ports: [9100] });
  });

  it('keeps existing plugins and named inputs, adding none', async () => {
    const tree = goWorkspace();
    const before = readNxJson(tree)!.namedInputs;
    await appGenerator(tree, { name: 'one' });
    const nxJson = readNxJson(tree)!;
    expect(nxJson.namedInputs).toEqual(before);
    expect(nxJson.namedInputs?.default).toEqual(['{projectRoot}/**/*']);
    expect(nxJson.plugins).toEqual([
      { plugin: '@crossdock/nx', options: { ldflags: ['-s', '-w', STAMP] } },
    ]);
  });

  it('registers the plugin and stamps the version itself when nx.json does not', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('go.mod', `module ${MODULE}\n`);
    tree.write('libs/go/buildinfo/buildinfo.go', 'package buildinfo\n');
    await appGenerator(tree, { name: 'lonely' });
    expect(readNxJson(tree)!.plugins).toEqual([{ plugin: '@crossdock/nx', options: {} }]);
    expect(readJson(tree, 'apps/lonely/project.json').targets.image.options.ldflags).toEqual([
      '-s',
      '-w',
      STAMP,
    ]);
  });

  it('gives a project that createNodes turns into compile and image targets', async () => {
    const tree = goWorkspace();
    await appGenerator(tree, { name: 'svc', platforms: 'linux/riscv64' });
    const files = Object.fromEntries(
      tree
        .listChanges()
        .filter((c) => c.type !== 'DELETE')
        .map((c) => [c.path, c.content!.toString('utf8')]),
    );
    const workspaceRoot = writeWorkspace(files);
    const [, createNodes] = crossdockCreateNodes;
    const results = await createNodes(
      ['apps/svc/project.json'],
      { ldflags: ['-s', '-w', STAMP] },
      { workspaceRoot, nxJsonConfiguration: readNxJson(tree)! },
    );
    const targets = results[0][1].projects!['apps/svc'].targets!;
    expect(Object.keys(targets)).toEqual(
      expect.arrayContaining(['compile--linux-riscv64', 'compile', 'image']),
    );
    // The inputs are the files its Go closure reads: the app's main.go and the library it imports.
    expect(targets['compile--linux-riscv64'].inputs).toEqual(
      expect.arrayContaining([
        '{workspaceRoot}/apps/svc/main.go',
        '{workspaceRoot}/libs/go/buildinfo/buildinfo.go',
        '{workspaceRoot}/go.mod',
      ]),
    );
    expect(JSON.stringify(targets['compile--linux-riscv64'].inputs)).not.toContain('_test.go');
  });

  it.each([
    ['a bad name', { name: 'Order_API' }, /lower-case letters and digits/],
    [
      'a taken name',
      { name: 'go-buildinfo' },
      /a project named "go-buildinfo" already exists at libs\/go\/buildinfo/,
    ],
    [
      'a directory outside the workspace',
      { name: 'x', directory: '../x' },
      /must be a path inside the workspace/,
    ],
    [
      'an unknown platform',
      { name: 'x', platforms: 'linux/amd64,linux/sparc' },
      /--platforms: .*sparc/,
    ],
    ['a bad port', { name: 'x', port: 70000 }, /is not a TCP port/],
  ])('rejects %s, naming the app and the fix', async (_case, schema, message) => {
    await expect(appGenerator(goWorkspace(), schema)).rejects.toThrow(message);
  });

  it('needs a root go.mod and the buildinfo library', async () => {
    const bare = createTreeWithEmptyWorkspace();
    await expect(appGenerator(bare, { name: 'x' })).rejects.toThrow(
      /no go.mod with a module line; run `go mod init/,
    );
    bare.write('go.mod', `module ${MODULE}\n`);
    await expect(appGenerator(bare, { name: 'x' })).rejects.toThrow(
      /libs\/go\/buildinfo\/buildinfo.go/,
    );
    const work = goWorkspace();
    work.write('go.work', 'go 1.26\nuse .\n');
    await expect(appGenerator(work, { name: 'x' })).rejects.toThrow(/go.work/);
  });

  it('refuses to overwrite an existing app directory', async () => {
    const tree = goWorkspace();
    tree.write('apps/taken/main.go', 'package main\n');
    await expect(appGenerator(tree, { name: 'taken' })).rejects.toThrow(
      /apps\/taken already holds a project or a main.go/,
    );
  });
});
