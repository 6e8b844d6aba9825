import { describe, expect, it } from 'vitest';
import { DependencyType, type CreateDependenciesContext } from '@nx/devkit';
import { createDependencies, isBuildSource } from '../../src/nx/graph/create-dependencies';
import { writeWorkspace } from '../workspace-fixture';

function context(
  workspaceRoot: string,
  projects: Record<string, string>,
  files: Record<string, string[]>,
): CreateDependenciesContext {
  return {
    workspaceRoot,
    externalNodes: {},
    nxJsonConfiguration: {},
    projects: Object.fromEntries(Object.entries(projects).map(([name, root]) => [name, { root }])),
    fileMap: { projectFileMap: {}, nonProjectFiles: [] },
    filesToProcess: {
      projectFileMap: Object.fromEntries(
        Object.entries(files).map(([project, list]) => [
          project,
          list.map((file) => ({ file, hash: 'x' })),
        ]),
      ),
      nonProjectFiles: [],
    },
  };
}

describe('createDependencies', () => {
  const files = {
    'go.mod': 'module example.com/mono\n\ngo 1.26\n',
    'apps/api/main.go':
      'package main\nimport (\n\t"fmt"\n\t"example.com/mono/libs/go/version"\n)\nfunc main() { fmt.Println(version.V) }\n',
    'apps/api/main_test.go': 'package main\nimport "example.com/mono/libs/go/testkit"\n',
    'libs/go/version/version.go':
      'package version\nimport "example.com/mono/libs/go/strutil"\nvar V = strutil.X\n',
    'libs/go/strutil/strutil.go': 'package strutil\nconst X = "1"\n',
    'libs/go/testkit/testkit.go': 'package testkit\n',
  };
  const projects = {
    '@root': '.',
    api: 'apps/api',
    'go-version': 'libs/go/version',
    'go-strutil': 'libs/go/strutil',
    'go-testkit': 'libs/go/testkit',
  };

  it('adds static edges for Go imports, not for imports only used by tests', async () => {
    const root = writeWorkspace(files);
    const deps = await createDependencies(
      {},
      context(root, projects, {
        api: ['apps/api/main.go', 'apps/api/main_test.go'],
        'go-version': ['libs/go/version/version.go'],
        'go-strutil': ['libs/go/strutil/strutil.go'],
      }),
    );
    expect(deps).toEqual([
      {
        source: 'api',
        target: 'go-version',
        sourceFile: 'apps/api/main.go',
        type: DependencyType.static,
      },
      {
        source: 'go-version',
        target: 'go-strutil',
        sourceFile: 'libs/go/version/version.go',
        type: DependencyType.static,
      },
    ]);
  });

  it('reads only the files it is given (incremental)', async () => {
    const root = writeWorkspace(files);
    const deps = await createDependencies(
      {},
      context(root, projects, { 'go-version': ['libs/go/version/version.go'] }),
    );
    expect(deps.map((d) => `${d.source}->${d.target}`)).toEqual(['go-version->go-strutil']);
  });

  it('maps imports across go.work modules', async () => {
    const root = writeWorkspace({
      'go.work': 'go 1.26\nuse (\n\t./apps/api\n\t./libs/shared\n)\n',
      'apps/api/go.mod': 'module example.com/api\n',
      'apps/api/main.go': 'package main\nimport "example.com/shared/log"\n',
      'libs/shared/go.mod': 'module example.com/shared\n',
      'libs/shared/log/log.go': 'package log\n',
    });
    const deps = await createDependencies(
      {},
      context(root, { api: 'apps/api', shared: 'libs/shared' }, { api: ['apps/api/main.go'] }),
    );
    expect(deps).toEqual([
      {
        source: 'api',
        target: 'shared',
        sourceFile: 'apps/api/main.go',
        type: DependencyType.static,
      },
    ]);
  });

  it.each([
    ['apps/api/main.go', true],
    ['libs/go/x/deep/file.go', true],
    ['apps/api/main_test.go', false],
    ['apps/api/_scratch.go', false],
    ['apps/api/.hidden.go', false],
    ['apps/api/testdata/fixture/main.go', false],
    ['apps/api/main.go__tmpl__', false],
    ['apps/api/README.md', false],
  ])('counts %s as a build source: %s', (file, expected) => {
    expect(isBuildSource(file)).toBe(expected);
  });
});
