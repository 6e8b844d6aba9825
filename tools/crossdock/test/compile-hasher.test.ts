import { describe, expect, it } from 'vitest';
import type { HasherContext, Task } from '@nx/devkit';
import { compileHash, isProjectWideNode, stableJson, TARGET_NODE, type CompileHashParts } from '../src/cache/compile-hash';
import compileHasher from '../src/executors/compile/hasher';

const TARGET = {
  executor: '@crossdock/nx:compile',
  cache: true,
  inputs: ['{projectRoot}/**/*.go', { runtime: 'go version' }],
  outputs: ['{workspaceRoot}/dist/bin/{projectName}/linux/arm64'],
  options: { platform: 'linux/arm64', binary: 'hello', main: '.', version: '1.0.0', ldflags: ['-s'], buildTags: [], cgo: false },
};

const PARTS: CompileHashParts = {
  command: 'c1',
  nodes: {
    'hello:apps/hello/**/*.go,!apps/hello/**/*_test.go': 'f1',
    'go-buildinfo:libs/go/buildinfo/**/*.go,!libs/go/buildinfo/**/*_test.go': 'f2',
    'workspace:[{workspaceRoot}/go.mod,{workspaceRoot}/go.sum]': 'm1',
    'runtime:go version': 'g1',
    'env:GOFLAGS': 'e1',
    'hello:ProjectConfiguration': 'p1',
    'go-buildinfo:ProjectConfiguration': 'p2',
    'hello:TsConfig': 't1',
  },
  projectRoot: 'apps/hello',
  target: TARGET,
};

const withNode = (name: string, value: string): CompileHashParts => ({ ...PARTS, nodes: { ...PARTS.nodes, [name]: value } });
const withOptions = (options: Record<string, unknown>): CompileHashParts => ({ ...PARTS, target: { ...TARGET, options: { ...TARGET.options, ...options } } });

describe('compileHash', () => {
  const base = compileHash(PARTS).value;

  it.each([
    ['the whole project configuration (a platform added, an image option changed)', withNode('hello:ProjectConfiguration', 'p9')],
    ["a dependency's project configuration", withNode('go-buildinfo:ProjectConfiguration', 'p9')],
    ['the root tsconfig', withNode('hello:TsConfig', 't9')],
    ['the key order of the target configuration', { ...PARTS, target: Object.fromEntries(Object.entries(TARGET).reverse()) }],
  ])('ignores %s', (_what, parts) => {
    expect(compileHash(parts).value).toBe(base);
  });

  it.each([
    ["the app's Go sources", withNode('hello:apps/hello/**/*.go,!apps/hello/**/*_test.go', 'f9')],
    ["a dependency's Go sources", withNode('go-buildinfo:libs/go/buildinfo/**/*.go,!libs/go/buildinfo/**/*_test.go', 'f9')],
    ['go.mod or go.sum', withNode('workspace:[{workspaceRoot}/go.mod,{workspaceRoot}/go.sum]', 'm9')],
    ['the Go version', withNode('runtime:go version', 'g9')],
    ['GOFLAGS', withNode('env:GOFLAGS', 'e9')],
    ['a new input', withNode('runtime:uname -m', 'x')],
    ['the command-line overrides', { ...PARTS, command: 'c2' }],
    ['the platform', withOptions({ platform: 'linux/arm/v7' })],
    ['the version stamp', withOptions({ version: '1.0.1' })],
    ['a linker flag', withOptions({ ldflags: ['-s', '-w'] })],
    ['a build tag', withOptions({ buildTags: ['netgo'] })],
    ['cgo', withOptions({ cgo: true })],
    ['the main package', withOptions({ main: './cmd/hello' })],
    ['the declared inputs', { ...PARTS, target: { ...TARGET, inputs: ['{projectRoot}/**/*.go'] } }],
    ['the project root', { ...PARTS, projectRoot: 'services/hello' }],
  ])('changes with %s', (_what, parts) => {
    expect(compileHash(parts).value).not.toBe(base);
  });

  it('keeps the per-input details without the project-wide ones, plus the target', () => {
    const { nodes } = compileHash(PARTS);
    expect(Object.keys(nodes).filter(isProjectWideNode)).toEqual([]);
    expect(nodes['runtime:go version']).toBe('g1');
    expect(nodes[TARGET_NODE]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes JSON with sorted keys at every depth', () => {
    expect(stableJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });
});

describe('the compile executor hasher', () => {
  function context(targetExtras: Record<string, unknown>, seenEnv: NodeJS.ProcessEnv[]): HasherContext {
    const hasher = {
      hashTask: async (_task: Task, _graph: unknown, env: NodeJS.ProcessEnv) => {
        seenEnv.push(env);
        return { value: 'nx-default', details: { command: PARTS.command, nodes: { ...PARTS.nodes }, implicitDeps: {}, runtime: {} } };
      },
    };
    const project = { root: 'apps/hello', targets: { 'compile--linux-arm64': { ...TARGET, ...targetExtras } } };
    return {
      hasher,
      projectGraph: { nodes: {}, dependencies: {} },
      taskGraph: { roots: [], tasks: {}, dependencies: {}, continuousDependencies: {} },
      projectsConfigurations: { version: 2, projects: { hello: project } },
      nxJsonConfiguration: {},
      env: { GOFLAGS: '-mod=mod' },
    } as unknown as HasherContext;
  }
  const task = { id: 'hello:compile--linux-arm64', target: { project: 'hello', target: 'compile--linux-arm64' }, overrides: {}, outputs: [] } as unknown as Task;

  it("replaces Nx's key by the compile hash, hashing the task's env, ignoring the target's metadata", async () => {
    const seenEnv: NodeJS.ProcessEnv[] = [];
    const plain = await compileHasher(task, context({}, seenEnv));
    const described = await compileHasher(task, context({ metadata: { description: 'linux/amd64, linux/arm64' } }, seenEnv));
    expect(plain.value).not.toBe('nx-default');
    expect(plain.value).toBe(described.value);
    expect(seenEnv[0]).toEqual({ GOFLAGS: '-mod=mod' });
    expect(Object.keys(plain.details.nodes)).not.toContain('hello:ProjectConfiguration');
    const flagged = await compileHasher(task, context({ options: { ...TARGET.options, ldflags: ['-w'] } }, seenEnv));
    expect(flagged.value).not.toBe(plain.value);
  });
});
