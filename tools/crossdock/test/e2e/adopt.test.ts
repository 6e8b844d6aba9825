import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { startRegistry } from '../../../../libs/test-support/src/registry/start-registry';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { REPO_ROOT } from '../../../scripts/testing/workspace-copy';
import { downloadModule, OSS_APPS } from '../../../scripts/testing/oss-modules';
import { pushBusyboxBase } from '../../../scripts/testing/busybox-base';

// Adoption from the packed tarball only, in directories outside this repository: fresh
// workspaces on Nx 22 (Node 20), Nx 23 (Node 22) and Nx 24 (Node 24; newer Node from the npm
// `node` package), each with a Go module holding two main packages under cmd/ and a shared internal
// package and no project.json; and a real open-source service from the Go module proxy,
// main package at its module root, on a base image from a registry. docs/adopt.md shows the
// same steps.

const gate = toolGate(
  'adopting crossdock from the tarball',
  ['go', 'git', 'npm', 'skopeo', 'qemu-aarch64-static', 'docker-registry'],
  process.env,
);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

const MODULE = 'example.com/adopt';
const GO_REPO: Record<string, string> = {
  'go.mod': `module ${MODULE}\n\ngo 1.26\n`,
  'internal/shared/shared.go':
    'package shared\n\n// Name is compiled into both commands.\nconst Name = "shared v1"\n',
  '.gitignore': 'node_modules\ndist\n.nx\n',
};
for (const command of ['api', 'worker']) {
  GO_REPO[`cmd/${command}/main.go`] = `package main

import (
\t"fmt"
\t"os"

\t"${MODULE}/internal/shared"
)

func main() {
\tif len(os.Args) > 1 && os.Args[1] == "--version" {
\t\tfmt.Println("${command}", shared.Name)
\t}
}
`;
}

// This workspace's own node_modules/.bin (its Node 24 and nx) must not leak into the fresh
// repositories: npx there puts their node_modules/.bin first, the rest of PATH is the system's.
const REPO_BIN = join(REPO_ROOT, 'node_modules/.bin');
const PATH = (process.env['PATH'] ?? '')
  .split(':')
  .filter((dir) => dir !== REPO_BIN && !dir.startsWith(`${REPO_ROOT}/`))
  .join(':');

/** A directory outside the repository with a package.json, the given files, and git. */
async function freshRepo(
  files: Record<string, string>,
  devDependencies: readonly string[],
  tarball: string,
) {
  const root = mkdtempSync(join(tmpdir(), 'crossdock-adopt-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  writeFileSync(join(root, 'package.json'), '{"name":"adopt","private":true}\n');
  await execa(
    'npm',
    ['install', '--no-audit', '--no-fund', '--save-dev', ...devDependencies, tarball],
    { cwd: root, env: { PATH } },
  );
  const git = (args: string[]) =>
    execa('git', ['-c', 'user.email=adopt@crossdock.test', '-c', 'user.name=adopt', ...args], {
      cwd: root,
    });
  await git(['init', '-q', '-b', 'main']);
  // npx puts node_modules/.bin first on PATH: with the `node` package, Nx runs on that Node.
  const nx = async (args: string[]) => {
    const run = await execa('npx', ['nx', ...args], {
      cwd: root,
      env: { PATH, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
      reject: false,
      all: true,
    });
    const output = String(run.all ?? '').replace(/\u001b\[[0-9;]*m/g, '');
    if (run.exitCode !== 0)
      throw new Error(`nx ${args.join(' ')} failed (exit ${run.exitCode}):\n${output}`);
    return output;
  };
  return { root, git, nx, remove: () => rmSync(root, { recursive: true, force: true }) };
}

function platformsOf(root: string, project: string): Promise<string[]> {
  return execa('skopeo', ['inspect', '--raw', `oci:${join(root, 'dist/images', project)}`]).then(
    ({ stdout }) =>
      (
        JSON.parse(stdout) as { manifests: { platform: { os: string; architecture: string } }[] }
      ).manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`),
  );
}

describe.skipIf(!gate.ok && !gate.ci)('adopt crossdock in a repository nobody here wrote', () => {
  let tarball: string;
  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    const { stdout } = await execa('npm', ['run', '--silent', 'package'], { cwd: REPO_ROOT });
    tarball = stdout.trim().split('\n').pop()!;
    expect(tarball).toMatch(/dist\/package\/crossdock-nx-\d+\.\d+\.\d+\.tgz$/);
  }, 120_000);

  it.each([
    ['Nx 22.7.12 on Node 20', ['nx@22.7.12'], 'v20.'],
    ['Nx 23.3.2 on Node 22 (the npm node package)', ['node@22', 'nx@23.3.2'], 'v22.'],
    ['Nx 24.0.6 on Node 24 (the npm node package)', ['node@24', 'nx@24.0.6'], 'v24.'],
  ])(
    '%s: init, run-many -t image, all cached on the second run, an internal edit rebuilds both, affected and the matrix list them',
    async (_name, deps, nodeVersion) => {
      const repo = await freshRepo(GO_REPO, deps, tarball);
      try {
        expect(
          (await execa('npx', ['node', '--version'], { cwd: repo.root, env: { PATH } })).stdout,
        ).toContain(nodeVersion);
        const init = await repo.nx(['g', '@crossdock/nx:init']);
        expect(init).toContain('2 Go main package(s) become projects');
        expect(JSON.parse(readFileSync(join(repo.root, 'nx.json'), 'utf8')).plugins).toEqual([
          { plugin: '@crossdock/nx', options: {} },
        ]);
        await repo.git(['add', '-A']);
        await repo.git(['commit', '-qm', 'go repository with nx and crossdock']);

        const shown = JSON.parse(await repo.nx(['show', 'project', 'api', '--json'])) as {
          root: string;
          targets: Record<string, { metadata?: { description?: string } }>;
        };
        expect(shown.root).toBe('cmd/api');
        expect(Object.keys(shown.targets)).toEqual(
          expect.arrayContaining([
            'compile--linux-amd64',
            'compile--linux-arm64',
            'image',
            'smoke',
            'push',
            'push--linux-arm64',
          ]),
        );
        for (const target of Object.values(shown.targets))
          expect(target.metadata?.description).toBeTruthy();

        await repo.nx(['run-many', '-t', 'image', '--outputStyle=static']);
        for (const project of ['api', 'worker'])
          expect(await platformsOf(repo.root, project)).toEqual(['linux/amd64', 'linux/arm64']);
        const again = await repo.nx(['run-many', '-t', 'image', '--outputStyle=static']);
        // Every task of the run: 4 compiles, 2 images (the image depends on the compiles
        // themselves, not on the compile target that groups them).
        expect(again).toContain(
          'Nx read the output from the cache instead of running the command for 6 out of 6 tasks',
        );

        const shared = join(repo.root, 'internal/shared/shared.go');
        writeFileSync(shared, readFileSync(shared, 'utf8').replace('shared v1', 'shared v2'));
        const affected = JSON.parse(
          (await repo.nx(['show', 'projects', '--affected', '--base=HEAD', '--json'])).replace(
            /^[^[]*/,
            '',
          ),
        ) as string[];
        expect(affected).toEqual(
          expect.arrayContaining(['api', 'worker', `${MODULE}/internal/shared`]),
        );
        // The CI matrix of the same change (Nx 24 computes affected per task; the cells are the same).
        const matrix = await execa('npx', ['crossdock', 'matrix', '--affected', '--base=HEAD'], {
          cwd: repo.root,
          env: { PATH, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
        });
        const cells = (
          JSON.parse(matrix.stdout) as { include: { project: string; platform: string }[] }
        ).include.map((c) => `${c.project} ${c.platform}`);
        expect(cells.sort()).toEqual([
          'api linux/amd64',
          'api linux/arm64',
          'worker linux/amd64',
          'worker linux/arm64',
        ]);
        const rebuilt = await repo.nx(['run-many', '-t', 'image', '--outputStyle=static']);
        for (const id of [
          'api:compile--linux-amd64',
          'api:compile--linux-arm64',
          'worker:compile--linux-amd64',
          'worker:compile--linux-arm64',
        ]) {
          expect(rebuilt).toMatch(new RegExp(`> nx run ${id}\\s*\\n`));
        }
        expect(
          (await execa(join(repo.root, 'dist/bin/api/linux/amd64/api'), ['--version'])).stdout,
        ).toBe('api shared v2');
      } finally {
        repo.remove();
      }
    },
    600_000,
  );

  it('real modules with constrained mains, platform-specific files and a cobra CLI, no configuration: init, run-many -t image and smoke, all cached on the second run', async () => {
    // fsnotify: a flag CLI under cmd/ over platform-specific backends (inotify, kqueue,
    // windows); golang.org/x/sys: //go:build ignore generators (package main) inside library
    // packages and a //go:build windows main; gops: a cobra CLI and an agent that runs until
    // stopped. Each module unchanged from the Go module proxy (the module cache), side by side.
    const modules = [
      { module: 'github.com/fsnotify/fsnotify', version: 'v1.8.0', dir: 'third_party/fsnotify' },
      { module: 'golang.org/x/sys', version: 'v0.30.0', dir: 'third_party/sys' },
      { module: 'github.com/google/gops', version: 'v0.3.28', dir: 'third_party/gops' },
    ];
    const repo = await freshRepo({}, ['node@24', 'nx@24.0.6'], tarball);
    try {
      for (const m of modules) {
        const { stdout } = await execa(
          'go',
          ['mod', 'download', '-json', `${m.module}@${m.version}`],
          {
            env: { GOFLAGS: '', GOTOOLCHAIN: 'local' },
          },
        );
        cpSync((JSON.parse(stdout) as { Dir: string }).Dir, join(repo.root, m.dir), {
          recursive: true,
        });
      }
      await execa('chmod', ['-R', 'u+w', repo.root]);
      // A project.json beside an inferred main (to set one project's options) keeps it an app.
      writeFileSync(
        join(repo.root, 'third_party/fsnotify/cmd/fsnotify/project.json'),
        JSON.stringify({
          name: 'fsnotify',
          tags: ['scope:tools'],
          targets: { image: { options: { version: '1.8.0' } } },
        }),
      );
      const init = await repo.nx(['g', '@crossdock/nx:init', '--platforms=linux/arm64']);
      expect(init).toContain('crossdock: added dist/, .nx/cache, .nx/workspace-data to .gitignore');
      expect(init).toContain(
        'third_party/sys/windows/svc/example: no image, no configured platform (linux/arm64) compiles it: build constraints exclude all Go files for linux/arm64',
      );
      expect(init).not.toMatch(/third_party\/sys\/(unix|plan9)\n/);
      await repo.git(['add', '-A']);
      await repo.git(['commit', '-qm', 'three modules from the Go module proxy, with nx']);
      expect((await repo.git(['status', '--porcelain'])).stdout).toBe('');

      const apps = JSON.parse(
        (await repo.nx(['show', 'projects', '--type', 'app', '--json'])).replace(/^[^[]*/, ''),
      ) as string[];
      expect(apps.sort()).toEqual(['fsnotify', 'gops', 'hello', 'mkmerge', 'mkwinsyscall']);
      const fsnotify = JSON.parse(await repo.nx(['show', 'project', 'fsnotify', '--json'])) as {
        tags: string[];
      };
      expect(fsnotify.tags.sort()).toEqual(['crossdock:image', 'lang:go', 'scope:tools']);
      const example = JSON.parse(await repo.nx(['show', 'project', 'example', '--json'])) as {
        targets: Record<string, unknown>;
        metadata: { description: string };
      };
      expect(example.targets).toEqual({});
      expect(example.metadata.description).toMatch(/\/\/go:build windows/);

      await repo.nx(['run-many', '-t', 'image', '--outputStyle=static']);
      const smoke = await repo.nx(['run-many', '-t', 'smoke', '--outputStyle=static']);
      expect(smoke).toContain('Error: unknown flag: --version'); // gops, cobra: exit 1, passed
      expect(smoke).toContain('flag provided but not defined: -version'); // a flag CLI: exit 2, passed
      expect(await platformsOf(repo.root, 'gops')).toEqual(['linux/arm64']);
      const again = await repo.nx(['run-many', '-t', 'image', 'smoke', '--outputStyle=static']);
      expect(again).toMatch(
        /Nx read the output from the cache instead of running the command for (\d+) out of \1 tasks/,
      );
    } finally {
      repo.remove();
    }
  }, 900_000);

  it('a real service from the Go module proxy, main package at its module root: init, linux/amd64 and linux/arm64 images on a registry base, the arm64 binary runs under qemu', async () => {
    const app = OSS_APPS.find((a) => a.projectRoot === a.moduleDir)!;
    const source = await downloadModule(app);
    const registry = await startRegistry();
    const base = await pushBusyboxBase(registry.host);
    const repo = await freshRepo(
      { '.gitignore': 'node_modules\ndist\n.nx\n' },
      ['nx@22.7.12'],
      tarball,
    );
    try {
      cpSync(source, repo.root, { recursive: true });
      await execa('chmod', ['-R', 'u+w', repo.root]);
      await repo.nx(['g', '@crossdock/nx:init', '--platforms=linux/amd64,linux/arm64']);
      // The base for every project, in nx.json's plugin options: its digest is a runtime input
      // that runs the installed package's CLI (no path into this repository).
      const nxJsonPath = join(repo.root, 'nx.json');
      const nxJson = JSON.parse(readFileSync(nxJsonPath, 'utf8')) as {
        plugins: { plugin: string; options: Record<string, unknown> }[];
      };
      nxJson.plugins[0]!.options['base'] = base;
      writeFileSync(nxJsonPath, `${JSON.stringify(nxJson, null, 2)}\n`);
      await repo.git(['add', '-A']);
      await repo.git(['commit', '-qm', `${app.module}@${app.version} unchanged, with nx`]);
      const name = 'miniflux.app'; // the module path's last element without /v2
      expect(JSON.parse(await repo.nx(['show', 'projects', '--json'])) as string[]).toContain(name);
      await repo.nx(['run', `${name}:image`, '--outputStyle=static']);
      expect(await platformsOf(repo.root, name)).toEqual(['linux/amd64', 'linux/arm64']);
      const arm64Image = JSON.parse(
        (
          await execa('skopeo', [
            'inspect',
            '--override-arch=arm64',
            `oci:${join(repo.root, 'dist/images', name)}`,
          ])
        ).stdout,
      ) as { Layers: string[] };
      expect(arm64Image.Layers).toHaveLength(2); // busybox's layer, then the app's
      const again = await repo.nx(['run', `${name}:image`, '--outputStyle=static']);
      expect(again).toMatch(new RegExp(`> nx run ${name}:image\\s+\\[local cache\\]`));
      const arm64 = join(repo.root, 'dist/bin', name, 'linux/arm64', name);
      expect((await execa('file', [arm64])).stdout).toMatch(/ARM aarch64.*statically linked/);
      // A clean environment: the service reads its configuration from environment variables.
      const run = await execa('qemu-aarch64-static', [arm64, app.versionFlag], {
        reject: false,
        all: true,
        env: {},
        extendEnv: false,
      });
      expect(run.exitCode, String(run.all)).toBe(0);
      expect(run.all).toMatch(/\S/);
    } finally {
      repo.remove();
      await registry.stop();
    }
  }, 900_000);
});
