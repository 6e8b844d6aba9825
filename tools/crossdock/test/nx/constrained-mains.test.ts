import { describe, expect, it } from 'vitest';
import { createNodes as crossdockCreateNodes } from '../../src/nx/nodes/create-nodes';
import { projectJson, writeWorkspace } from '../workspace-fixture';

const [, createNodes] = crossdockCreateNodes;

interface Project {
  name?: string;
  projectType?: string;
  tags?: string[];
  targets?: Record<string, { options?: Record<string, unknown> }>;
  metadata?: { description?: string };
}

/** createNodes over every project.json and go.mod of a workspace written from `files`. */
async function infer(
  files: Record<string, string>,
  pluginOptions: Record<string, unknown> = {},
): Promise<Record<string, Project>> {
  const workspaceRoot = writeWorkspace(files);
  const configFiles = Object.keys(files).filter(
    (f) => f.endsWith('project.json') || f.endsWith('go.mod'),
  );
  const results = await createNodes(configFiles, pluginOptions, {
    workspaceRoot,
    nxJsonConfiguration: {},
  });
  return Object.assign({}, ...results.map(([, r]) => r.projects ?? {})) as Record<string, Project>;
}

const GO_MOD = 'module example.com/svc\n\ngo 1.26\n';

describe('main packages under build constraints', () => {
  const repo = {
    'go.mod': GO_MOD,
    'cmd/api/main.go': 'package main\n\nfunc main() {}\n',
    // Only for cgo on amd64: no platform with the default cgo: false.
    'cmd/cgotool/main.go': '//go:build cgo && amd64\n\npackage main\n\nfunc main() {}\n',
    // Only amd64 by its file name.
    'cmd/amd64only/main_amd64.go': 'package main\n\nfunc main() {}\n',
    // The go:generate helper pattern: a library package with an ignored package main generator.
    'internal/server/server.go': 'package server\n\n//go:generate go run gen.go\n',
    'internal/server/gen.go': '//go:build ignore\n\npackage main\n\nfunc main() {}\n',
    // A directory of ignored generators only (x/sys's unix/linux) is no main either.
    'tools/mkall/mkall.go': '//go:build ignore\n\npackage main\n\nfunc main() {}\n',
  };

  it('a //go:build ignore generator never makes a main: the library package is no app', async () => {
    const projects = await infer(repo);
    expect(projects['internal/server']).toBeUndefined();
    expect(projects['tools/mkall']).toBeUndefined();
    expect(projects['cmd/api']?.targets?.['image']).toBeDefined();
  });

  it('compiles a main only for the platforms its files build on', async () => {
    const projects = await infer(repo);
    const amd64only = projects['cmd/amd64only']!;
    expect(Object.keys(amd64only.targets!).filter((t) => t.startsWith('compile--'))).toEqual([
      'compile--linux-amd64',
    ]);
    // The executors get the narrowed list too.
    expect(amd64only.targets!['image']!.options!['platforms']).toEqual(['linux/amd64']);
    expect(amd64only.projectType).toBe('application');
    expect(Object.keys(projects['cmd/api']!.targets!)).toEqual(
      expect.arrayContaining(['compile--linux-amd64', 'compile--linux-arm64']),
    );
  });

  it('a main left with no platform is a project without targets that says why in one line', async () => {
    const projects = await infer(repo);
    const tool = projects['cmd/cgotool']!;
    expect(tool.name).toBe('cgotool');
    expect(tool.targets).toEqual({});
    expect(tool.projectType).toBeUndefined();
    expect(tool.metadata?.description).toBe(
      'Go main package without an image: no configured platform (linux/amd64, linux/arm64) compiles it: build constraints exclude all Go files for linux/amd64 (main.go: //go:build cgo && amd64)',
    );
    // With cgo on, it builds for linux/amd64 only.
    const withCgo = await infer(repo, { cgo: true });
    expect(
      Object.keys(withCgo['cmd/cgotool']!.targets!).filter((t) => t.startsWith('compile--')),
    ).toEqual(['compile--linux-amd64']);
  });

  it('a project.json that asks for a platform its package cannot build for is an error naming the constraint', async () => {
    const error = await infer({
      ...repo,
      'cmd/amd64only/project.json': projectJson('amd64only', {
        platforms: ['linux/amd64', 'linux/arm64'],
      }),
    }).then(
      () => undefined,
      (caught: { errors?: [string, Error][] }) => caught.errors,
    );
    expect(error).toHaveLength(1);
    expect(error![0]![1].message).toBe(
      'amd64only: option "platforms" in cmd/amd64only/project.json (targets.image.options) asks for linux/arm64, but build constraints exclude all Go files for linux/arm64 (main_amd64.go: its file-name suffix); remove linux/arm64 from platforms (or change the constraint or the cgo/buildTags options)',
    );
  });
});

describe('a project.json beside an inferred main', () => {
  it('keeps it an application with the lang:go tag, and its own tags', async () => {
    const projects = await infer({
      'go.mod': GO_MOD,
      'cmd/api/main.go': 'package main\n\nfunc main() {}\n',
      'cmd/api/project.json': JSON.stringify({
        name: 'api',
        tags: ['team:payments'],
        targets: { image: { options: { version: '1.2.3' } } },
      }),
    });
    expect(projects['cmd/api']).toMatchObject({
      projectType: 'application',
      tags: ['lang:go', 'crossdock:image'],
    });
    expect(projects['cmd/api']!.targets!['image']).toBeDefined();
  });
});
