import { describe, expect, it } from 'vitest';
import { createNodesV2 } from '../src/nodes/create-nodes';
import { projectJson, writeWorkspace } from './workspace-fixture';

const [glob, createNodes] = createNodesV2;

async function infer(files: Record<string, string>, pluginOptions: Record<string, unknown> = {}) {
  const workspaceRoot = writeWorkspace(files);
  const configFiles = Object.keys(files).filter((f) => f.endsWith('project.json'));
  const results = await createNodes(configFiles, pluginOptions, { workspaceRoot, nxJsonConfiguration: {} });
  return Object.fromEntries(results.map(([file, result]) => [file, result]));
}

describe('createNodes', () => {
  it('matches project.json files', () => {
    expect(glob).toBe('**/project.json');
  });

  it('infers per-platform compile targets, compile and image for a Go main package', async () => {
    const results = await infer(
      {
        'apps/api/project.json': projectJson('api', { platforms: ['linux/amd64', 'linux/arm/v7'] }),
        'apps/api/main.go': '// Command api.\npackage main\n\nfunc main() {}\n',
        'libs/go/util/project.json': projectJson('go-util'),
        'libs/go/util/util.go': 'package util\n',
      },
      { version: '2.0.0' },
    );
    const targets = results['apps/api/project.json'].projects!['apps/api'].targets!;
    expect(Object.keys(targets)).toEqual([
      'compile--linux-amd64',
      'compile--linux-arm-v7',
      'compile',
      'image',
      'smoke',
      'load',
      'push',
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
    expect(targets['compile--linux-arm-v7']).toMatchObject({
      executor: '@crossdock/nx:compile',
      cache: true,
      outputs: ['{workspaceRoot}/dist/bin/{projectName}/linux/arm/v7'],
      options: { platform: 'linux/arm/v7', binary: 'api', version: '2.0.0', cgo: false },
    });
    expect(targets['compile--linux-arm-v7'].inputs).toContainEqual({ runtime: 'go version' });
    expect(targets['compile--linux-arm-v7'].inputs).toContainEqual({ fileset: '{projectRoot}/**/*.go', dependencies: true });
    expect(targets.compile.dependsOn).toEqual(['compile--linux-amd64', 'compile--linux-arm-v7']);
    expect(targets.image).toMatchObject({ executor: '@crossdock/nx:image', dependsOn: ['compile'], cache: true });
    expect(targets.image.outputs).toEqual([
      '{workspaceRoot}/dist/images/{projectName}',
      '{workspaceRoot}/dist/context/{projectName}',
      '{workspaceRoot}/dist/sbom/{projectName}',
      '{workspaceRoot}/dist/metadata/{projectName}/image.json',
    ]);
    // The revision input covers the app and every Go library root.
    expect(JSON.stringify(targets.image.inputs)).toContain('-- apps/api libs/go/util go.mod go.sum');
    for (const target of Object.values(targets)) expect(target.metadata?.description).toBeTruthy();
    expect(results['libs/go/util/project.json']).toEqual({});
  });

  it('finds the main package given by the main option', async () => {
    const results = await infer({
      'apps/svc/project.json': projectJson('svc', { main: './cmd/svc' }),
      'apps/svc/cmd/svc/main.go': 'package main\nfunc main() {}\n',
      'apps/svc/svc.go': 'package svc\n',
    });
    expect(Object.keys(results['apps/svc/project.json'].projects!['apps/svc'].targets!)).toContain('image');
  });

  it('ignores projects without Go code', async () => {
    const results = await infer({ 'libs/ts/project.json': projectJson('ts'), 'libs/ts/index.ts': '' });
    expect(results['libs/ts/project.json']).toEqual({});
  });

  /** The message Nx shows for the one file that failed (createNodesFromFiles aggregates per-file errors). */
  async function inferError(files: Record<string, string>, pluginOptions: Record<string, unknown> = {}): Promise<string> {
    const error = await infer(files, pluginOptions).then(
      () => undefined,
      (caught: { errors?: [string, Error][] }) => caught,
    );
    expect(error?.errors).toHaveLength(1);
    return error!.errors![0][1].message;
  }

  it('reports a bad option naming the project and the option', async () => {
    const app = { 'apps/api/main.go': 'package main\n' };
    expect(await inferError({ ...app, 'apps/api/project.json': projectJson('api', { platforms: ['linux/amd64', 'linux/amd64/v1'] }) })).toMatch(
      /^api: option "platforms" is invalid: .*both mean linux\/amd64/,
    );
    expect(await inferError({ ...app, 'apps/api/project.json': projectJson('api') }, { plattforms: [] })).toMatch(/^api: option "plattforms" in nx.json/);
  });
});
