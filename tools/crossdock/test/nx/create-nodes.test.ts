import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { AggregateCreateNodesError } from '@nx/devkit';
import { createNodes as crossdockCreateNodes } from '../../src/nx/nodes/create-nodes';
import { projectJson, writeWorkspace } from '../workspace-fixture';

const [glob, createNodes] = crossdockCreateNodes;

async function infer(files: Record<string, string>, pluginOptions: Record<string, unknown> = {}) {
  const workspaceRoot = writeWorkspace(files);
  const configFiles = Object.keys(files).filter((f) => f.endsWith('project.json'));
  const results = await createNodes(configFiles, pluginOptions, {
    workspaceRoot,
    nxJsonConfiguration: {},
  });
  return Object.fromEntries(results.map(([file, result]) => [file, result]));
}

describe('createNodes', () => {
  it('matches project.json and go.mod files', () => {
    expect(glob).toBe('**/{project.json,go.mod}');
  });

  describe('without a project.json: every main package of a module', () => {
    const repo = {
      'go.mod': 'module example.com/shop/v2\n\ngo 1.26\n',
      'main.go':
        'package main\n\nimport _ "example.com/shop/v2/internal/store"\n\nfunc main() {}\n',
      'cmd/api/main.go':
        'package main\n\nimport _ "example.com/shop/v2/internal/store"\n\nfunc main() {}\n',
      'cmd/api/main_test.go': 'package main\n',
      'cmd/worker/main.go': 'package main\n\nfunc main() {}\n',
      'tools/gen/main.go': 'package main\n\nfunc main() {}\n',
      'internal/store/store.go': 'package store\n',
      'testdata/fixture/main.go': 'package main\n',
      'examples/demo/go.mod': 'module example.com/demo\n\ngo 1.26\n',
      'examples/demo/main.go': 'package main\n\nfunc main() {}\n',
      'legacy/project.json': projectJson('legacy', { platforms: ['linux/amd64'] }),
      'legacy/main.go': 'package main\n\nfunc main() {}\n',
      'legacy/cmd/sub/main.go': 'package main\n\nfunc main() {}\n',
    };
    async function inferRepo(pluginOptions: Record<string, unknown> = {}) {
      const workspaceRoot = writeWorkspace(repo);
      const files = Object.keys(repo).filter(
        (f) => f.endsWith('project.json') || f.endsWith('go.mod'),
      );
      const results = await createNodes(files, pluginOptions, {
        workspaceRoot,
        nxJsonConfiguration: {},
      });
      return Object.assign({}, ...results.map(([, r]) => r.projects ?? {})) as Record<
        string,
        {
          name?: string;
          projectType?: string;
          targets?: Record<string, { inputs?: unknown[]; metadata?: { description?: string } }>;
        }
      >;
    }

    it('names them from their directory, the module root from the module path, and infers their targets', async () => {
      const projects = await inferRepo();
      const apps = Object.entries(projects)
        .filter(([, p]) => p.targets?.image)
        .map(([root, p]) => [root, p.name]);
      expect(apps.sort()).toEqual([
        ['.', 'shop'],
        ['cmd/api', 'api'],
        ['cmd/worker', 'worker'],
        ['examples/demo', 'demo'],
        ['legacy', undefined], // the project.json names it
        ['tools/gen', 'gen'],
      ]);
      expect(projects['cmd/api']).toMatchObject({ projectType: 'application' });
      expect(projects['cmd/api'].targets!['compile--linux-amd64'].inputs).toEqual(
        expect.arrayContaining([
          '{workspaceRoot}/cmd/api/main.go',
          '{workspaceRoot}/internal/store/store.go',
        ]),
      );
      expect(projects['cmd/api'].targets!['compile--linux-amd64'].inputs).not.toContain(
        '{workspaceRoot}/cmd/api/main_test.go',
      );
      // The root app owns only its own package: cmd/api is a project of its own.
      expect(projects['.'].targets!['compile--linux-amd64'].inputs).not.toContain(
        '{workspaceRoot}/cmd/api/main.go',
      );
      expect(projects['internal/store']).toMatchObject({
        name: 'example.com/shop/v2/internal/store',
        projectType: 'library',
      });
      for (const target of Object.values(projects['cmd/worker'].targets!))
        expect(target.metadata?.description).toBeTruthy();
      // A main package under testdata/, or under a project.json project, is not inferred.
      expect(projects['testdata/fixture']).toBeUndefined();
      expect(projects['legacy/cmd/sub']).toBeUndefined();
    });

    it('include and exclude choose the main packages', async () => {
      const projects = await inferRepo({ include: ['cmd/**'], exclude: ['cmd/worker'] });
      expect(
        Object.keys(projects)
          .filter((root) => projects[root].targets?.image)
          .sort(),
      ).toEqual(['cmd/api', 'legacy']);
      await expect(inferRepo({ include: 'cmd' })).rejects.toThrow(
        /plugin option "include" in nx.json must be a list of directory globs/,
      );
    });
  });

  it('infers per-platform compile targets, compile and image for a Go main package', async () => {
    const results = await infer(
      {
        'go.mod': 'module example.com/mono\n\ngo 1.26\n',
        'apps/api/project.json': projectJson('api', { platforms: ['linux/amd64', 'linux/arm/v7'] }),
        'apps/api/main.go':
          '// Command api.\npackage main\n\nimport _ "example.com/mono/libs/go/util"\n\nfunc main() {}\n',
        'apps/api/main_test.go': 'package main\n',
        'apps/api/README.md': '# api\n',
        'libs/go/util/project.json': projectJson('go-util'),
        'libs/go/util/util.go': 'package util\n\nimport _ "example.com/mono/internal/x"\n',
        'libs/go/util/util_arm.go': 'package util\n',
        'internal/x/x.go': 'package x\n',
      },
      { version: '2.0.0' },
    );
    const targets = results['apps/api/project.json'].projects!['apps/api'].targets!;
    expect(Object.keys(targets)).toEqual([
      'compile--linux-amd64',
      'compile--linux-arm-v7',
      'compile',
      'image',
      'context',
      'smoke',
      'load',
      'push',
      'nx-release-publish',
      'push--linux-amd64',
      'push--linux-arm-v7',
    ]);
    // A CI cell needs only its own platform's compile, and pushes by digest.
    expect(targets['push--linux-arm-v7']).toMatchObject({
      executor: '@crossdock/nx:push',
      dependsOn: ['compile--linux-arm-v7'],
      cache: false,
      options: { platform: 'linux/arm/v7', byDigest: true, cell: true },
    });
    expect(targets.push.cache).toBe(false);
    // The compiles and the image share one executor, so Nx runs them in one batch process.
    expect(targets['compile--linux-arm-v7']).toMatchObject({
      executor: '@crossdock/nx:build',
      cache: true,
      outputs: ['{workspaceRoot}/dist/bin/{projectName}/linux/arm/v7'],
      options: {
        step: 'compile',
        platform: 'linux/arm/v7',
        binary: 'api',
        version: '2.0.0',
        cgo: false,
      },
    });
    // Exactly the files go build reads for the platform, wherever they live.
    expect(targets['compile--linux-arm-v7'].inputs).toEqual([
      '{workspaceRoot}/apps/api/main.go',
      '{workspaceRoot}/go.mod',
      '{workspaceRoot}/go.sum',
      '{workspaceRoot}/go.work',
      '{workspaceRoot}/go.work.sum',
      '{workspaceRoot}/internal/x/x.go',
      '{workspaceRoot}/libs/go/util/util.go',
      '{workspaceRoot}/libs/go/util/util_arm.go',
      { runtime: 'go version' },
      { env: 'GOFLAGS' },
      { env: 'GOEXPERIMENT' },
      { externalDependencies: [] },
    ]);
    expect(targets['compile--linux-amd64'].inputs).not.toContain(
      '{workspaceRoot}/libs/go/util/util_arm.go',
    );
    expect(targets.compile.dependsOn).toEqual(['compile--linux-amd64', 'compile--linux-arm-v7']);
    expect(targets.image).toMatchObject({
      executor: '@crossdock/nx:build',
      dependsOn: ['compile--linux-amd64', 'compile--linux-arm-v7'],
      cache: true,
    });
    expect(targets.image.options).not.toHaveProperty('step');
    // The builtin engine assembles the layers itself: the Docker context is the context
    // target's, from the same compiles, with the image's inputs but the engine's.
    expect(targets.image.outputs).toEqual([
      '{workspaceRoot}/dist/images/{projectName}',
      '{workspaceRoot}/dist/sbom/{projectName}',
      '{workspaceRoot}/dist/metadata/{projectName}/image.json',
    ]);
    expect(targets.context).toMatchObject({
      executor: '@crossdock/nx:build',
      dependsOn: ['compile--linux-amd64', 'compile--linux-arm-v7'],
      cache: true,
      outputs: ['{workspaceRoot}/dist/context/{projectName}'],
      options: { step: 'context' },
    });
    expect(targets.context.inputs).toEqual(
      targets.image.inputs!.filter((input) => !JSON.stringify(input).includes('zlib')),
    );
    // The revision input names exactly the compiled files of every platform (util_arm.go
    // for arm/v7), not the package directories: a test or doc there does not move it.
    expect(targets.image.inputs).toContainEqual({
      runtime:
        'git log -1 --format=%H:%ct -- apps/api/main.go go.mod go.sum go.work go.work.sum internal/x/x.go libs/go/util/util.go libs/go/util/util_arm.go 2>/dev/null || echo no-git',
    });
    for (const target of Object.values(targets)) expect(target.metadata?.description).toBeTruthy();
    // nx release hands a project with a 'docker' target to @nx/docker, which is not installed.
    for (const target of Object.values(targets))
      expect(target.metadata?.technologies ?? []).not.toContain('docker');
    expect(results['libs/go/util/project.json']).toEqual({});
    // A package of the closure that no project owns becomes a project of its own.
    const inferred = Object.values(results).find((r) => r.projects?.['internal/x'])?.projects?.[
      'internal/x'
    ];
    expect(inferred).toMatchObject({
      name: 'example.com/mono/internal/x',
      projectType: 'library',
      targets: {},
    });
    expect(inferred?.metadata?.description).toContain('compiled into api');
  });

  it('hashes the files git ignores (an embedded web build, generated code) by content, since Nx cannot', async () => {
    const files = {
      '.gitignore': 'dist/\nzz_generated.go\n',
      'go.mod': 'module example.com/web\n\ngo 1.26\n',
      'apps/web/project.json': projectJson('web', { platforms: ['linux/amd64'] }),
      'apps/web/main.go':
        'package main\n\nimport "embed"\n\n//go:embed web/dist\nvar dist embed.FS\n\nfunc main() {}\n',
      'apps/web/zz_generated.go': 'package main\n',
      'apps/web/web/dist/app.js': 'console.log(1)\n',
      'apps/web/web/dist/css/site.css': 'body {}\n',
    };
    const workspaceRoot = writeWorkspace(files);
    execFileSync('git', ['init', '-q'], { cwd: workspaceRoot });
    const results = await createNodes(
      ['apps/web/project.json'],
      {},
      { workspaceRoot, nxJsonConfiguration: {} },
    );
    const inputs = results[0][1].projects!['apps/web'].targets!['compile--linux-amd64'].inputs!;
    expect(inputs).toContain('{workspaceRoot}/apps/web/web/dist/**');
    expect(inputs).not.toContain('{workspaceRoot}/apps/web/zz_generated.go');
    expect(inputs).toContainEqual({
      runtime:
        'sha256sum -- apps/web/web/dist/app.js apps/web/web/dist/css/site.css apps/web/zz_generated.go 2>&1',
    });
  });

  it('finds the main package given by the main option', async () => {
    const results = await infer({
      'apps/svc/project.json': projectJson('svc', { main: './cmd/svc' }),
      'apps/svc/cmd/svc/main.go': 'package main\nfunc main() {}\n',
      'apps/svc/svc.go': 'package svc\n',
    });
    expect(Object.keys(results['apps/svc/project.json'].projects!['apps/svc'].targets!)).toContain(
      'image',
    );
  });

  it('declares the context as an image output when the engine builds from it (docker)', async () => {
    const results = await infer({
      'apps/svc/project.json': projectJson('svc', { engine: 'docker' }),
      'apps/svc/main.go': 'package main\nfunc main() {}\n',
    });
    const targets = results['apps/svc/project.json'].projects!['apps/svc'].targets!;
    expect(targets.image.outputs).toContain('{workspaceRoot}/dist/context/{projectName}');
    expect(targets.context.outputs).toEqual(['{workspaceRoot}/dist/context/{projectName}']);
  });

  it('ignores projects without Go code', async () => {
    const results = await infer({
      'libs/ts/project.json': projectJson('ts'),
      'libs/ts/index.ts': '',
    });
    expect(results['libs/ts/project.json']).toEqual({});
  });

  /** The message Nx shows for the one file that failed (createNodesFromFiles aggregates per-file errors). */
  async function inferError(
    files: Record<string, string>,
    pluginOptions: Record<string, unknown> = {},
  ): Promise<string> {
    const error = await infer(files, pluginOptions).then(
      () => undefined,
      (caught: { errors?: [string, Error][] }) => caught,
    );
    expect(error?.errors).toHaveLength(1);
    // Nx's own error type: Nx shows each file's error and keeps the other files' projects.
    expect(error).toBeInstanceOf(AggregateCreateNodesError);
    return error!.errors![0][1].message;
  }

  it('reports a bad option naming the project and the option', async () => {
    const app = { 'apps/api/main.go': 'package main\n' };
    expect(
      await inferError({
        ...app,
        'apps/api/project.json': projectJson('api', {
          platforms: ['linux/amd64', 'linux/amd64/v1'],
        }),
      }),
    ).toMatch(/^api: option "platforms" is invalid: .*both mean linux\/amd64/);
    // A mistake in nx.json's plugin options is one error for the workspace, not one per project.
    await expect(
      infer({ ...app, 'apps/api/project.json': projectJson('api') }, { plattforms: [] }),
    ).rejects.toThrow(
      /^nx.json: option "plattforms" in nx.json \(plugin @crossdock\/nx options\) is not a crossdock option; valid options: include, exclude, platforms, /,
    );
  });
});
