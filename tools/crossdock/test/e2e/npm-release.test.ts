import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import {
  copyWorkspace,
  REPO_ROOT,
  type WorkspaceCopy,
} from '../../../scripts/testing/workspace-copy';

// crossdock's own package released the way a user's would be: nx release versions
// @crossdock/nx and publishes it (@nx/js:release-publish) to a local npm registry
// (verdaccio, on 127.0.0.1; tools/scripts/setup-test-env.sh installs it), then a fresh
// workspace outside this repository runs `npx nx add @crossdock/nx` from that registry,
// which installs it and runs init, and builds images: the path of a user once the package
// is public. That workspace (Nx 22 on Node 20) then releases its Go app with nx release to
// the test registry (127.0.0.1:5000); release.test.ts does the same on Nx 24.
const VERDACCIO = '/var/cache/crossdock/verdaccio-6.8.0/node_modules/.bin/verdaccio';
const gate = toolGate('npm release of @crossdock/nx', ['go', 'git', 'npm', 'skopeo'], process.env);
const ready = gate.ok && existsSync(VERDACCIO);
const message = existsSync(VERDACCIO)
  ? gate.message
  : `no verdaccio at ${VERDACCIO}; run tools/scripts/setup-test-env.sh`;
if (!ready && !gate.ci) console.warn(`SKIPPED: ${message}`);

// The repository's node_modules/.bin must not leak into the fresh workspace (as adopt.test.ts).
const REPO_BIN = join(REPO_ROOT, 'node_modules/.bin');
const PATH = (process.env['PATH'] ?? '')
  .split(':')
  .filter((dir) => dir !== REPO_BIN && !dir.startsWith(`${REPO_ROOT}/`))
  .join(':');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

describe.skipIf(!ready && !gate.ci)(
  'nx release of @crossdock/nx to an npm registry, then nx add',
  () => {
    let ws: WorkspaceCopy;
    let dir: string;
    let verdaccio: ChildProcess | undefined;
    let registry: string;
    let fresh: string;

    beforeAll(async () => {
      if (!ready) throw new Error(message);
      dir = mkdtempSync(join(tmpdir(), 'crossdock-verdaccio-'));
      const port = await freePort();
      registry = `http://127.0.0.1:${port}/`;
      writeFileSync(
        join(dir, 'config.yaml'),
        [
          `storage: ${join(dir, 'storage')}`,
          'auth:',
          `  htpasswd: {file: ${join(dir, 'htpasswd')}, max_users: 10}`,
          'packages:',
          "  '@crossdock/*': {access: $all, publish: $authenticated}",
          "  '**': {access: $all}",
          'log: {type: stdout, format: pretty, level: warn}',
          '',
        ].join('\n'),
      );
      verdaccio = spawn(
        VERDACCIO,
        ['--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`],
        {
          stdio: 'ignore',
        },
      );
      for (let i = 0; i < 100; i++) {
        if ((await fetch(`${registry}-/ping`).catch(() => undefined))?.ok) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const user = await fetch(`${registry}-/user/org.couchdb.user:ci`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'ci', password: 'crossdock-ci-1' }),
      });
      const { token } = (await user.json()) as { token: string };
      expect(token).toBeTruthy();

      ws = await copyWorkspace(['docs']);
      // crossdock's own release configuration: the npm package, versioned by @nx/js's version
      // actions (tools/crossdock/package.json), published from the staged package.
      const nxJsonPath = join(ws.root, 'nx.json');
      const nxJson = JSON.parse(readFileSync(nxJsonPath, 'utf8'));
      nxJson.release = {
        projects: ['@crossdock/nx'],
        releaseTag: { pattern: 'crossdock-nx@{version}' },
        version: { git: { commit: true, tag: true }, currentVersionResolver: 'disk' },
        changelog: { workspaceChangelog: false },
      };
      writeFileSync(nxJsonPath, `${JSON.stringify(nxJson, null, 2)}\n`);
      const packagePath = join(ws.root, 'tools/crossdock/package.json');
      const pkg = JSON.parse(readFileSync(packagePath, 'utf8'));
      pkg.nx = {
        targets: {
          'nx-release-publish': {
            executor: '@nx/js:release-publish',
            options: { packageRoot: 'dist/package/stage' },
          },
        },
      };
      writeFileSync(packagePath, `${JSON.stringify(pkg, null, 2)}\n`);
      writeFileSync(join(ws.root, '.npmrc'), `//127.0.0.1:${port}/:_authToken=${token}\n`);
      await ws.git(['add', '-A']);
      await ws.git(['commit', '-q', '-m', 'e2e: release @crossdock/nx to a local registry']);
    }, 180_000);

    afterAll(() => {
      verdaccio?.kill();
      ws?.remove();
      if (dir) rmSync(dir, { recursive: true, force: true });
      if (fresh) rmSync(fresh, { recursive: true, force: true });
    });

    it('nx release version + publish puts @crossdock/nx 0.7.0 in the registry', async () => {
      const version = await ws.nx(['release', 'version', '0.7.0']);
      expect(version.exitCode, version.output).toBe(0);
      expect(await ws.git(['tag', '--points-at', 'HEAD'])).toBe('crossdock-nx@0.7.0');
      const pack = await execa('npm', ['run', '--silent', 'package'], {
        cwd: ws.root,
        reject: false,
      });
      expect(pack.exitCode, String(pack.stderr)).toBe(0);
      expect(pack.stdout).toMatch(/crossdock-nx-0\.7\.0\.tgz$/);
      const publish = await ws.nx(['release', 'publish', `--registry=${registry}`]);
      expect(publish.exitCode, publish.output).toBe(0);
      const view = await execa('npm', [
        'view',
        '@crossdock/nx',
        'version',
        `--registry=${registry}`,
      ]);
      expect(view.stdout.trim()).toBe('0.7.0');
    }, 300_000);

    it('a fresh workspace runs npx nx add @crossdock/nx from it and builds images', async () => {
      fresh = mkdtempSync(join(tmpdir(), 'crossdock-nx-add-'));
      const files: Record<string, string> = {
        'package.json': '{"name":"fresh","private":true}\n',
        '.npmrc': `@crossdock:registry=${registry}\n`,
        '.gitignore': 'node_modules\ndist\n.nx\n',
        'go.mod': 'module example.com/fresh\n\ngo 1.26\n',
        'cmd/api/main.go': 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("api") }\n',
      };
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(fresh, path)), { recursive: true });
        writeFileSync(join(fresh, path), content);
      }
      const env = { PATH, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
      await execa('npm', ['install', '--no-audit', '--no-fund', '--save-dev', 'nx@22.7.12'], {
        cwd: fresh,
        env,
      });
      await execa('git', ['init', '-q', '-b', 'main'], { cwd: fresh });
      const add = await execa('npx', ['nx', 'add', '@crossdock/nx'], {
        cwd: fresh,
        env,
        reject: false,
        all: true,
      });
      expect(add.exitCode, String(add.all)).toBe(0);
      const installed = JSON.parse(
        readFileSync(join(fresh, 'node_modules/@crossdock/nx/package.json'), 'utf8'),
      );
      expect(installed.version).toBe('0.7.0');
      expect(JSON.parse(readFileSync(join(fresh, 'nx.json'), 'utf8')).plugins).toEqual([
        { plugin: '@crossdock/nx', options: {} },
      ]);
      const image = await execa('npx', ['nx', 'run-many', '-t', 'image'], {
        cwd: fresh,
        env,
        reject: false,
        all: true,
      });
      expect(image.exitCode, String(image.all)).toBe(0);
      const layout = join(fresh, 'dist/images/api');
      const top = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
      const index = JSON.parse(
        readFileSync(join(layout, 'blobs/sha256', top.manifests[0].digest.slice(7)), 'utf8'),
      );
      expect(
        index.manifests.map((m: { platform: { architecture: string } }) => m.platform.architecture),
      ).toEqual(['amd64', 'arm64']);

      // The same package's nx release on Nx 22: init --release, version (the inferred app
      // gets a project.json holding its version), publish to the test registry.
      const nx = async (args: string[], extra: Record<string, string> = {}) => {
        const run = await execa('npx', ['nx', ...args], {
          cwd: fresh,
          env: { ...env, ...extra },
          reject: false,
          all: true,
        });
        expect(run.exitCode, `nx ${args.join(' ')}\n${String(run.all)}`).toBe(0);
        return String(run.all);
      };
      await nx(['g', '@crossdock/nx:init', '--release']);
      const nxJsonPath = join(fresh, 'nx.json');
      const nxJson = JSON.parse(readFileSync(nxJsonPath, 'utf8'));
      const repository = `release-nx22/${Date.now().toString(36)}/api`;
      nxJson.plugins[0].options = { repository };
      writeFileSync(nxJsonPath, `${JSON.stringify(nxJson, null, 2)}\n`);
      const gitEnv = {
        GIT_AUTHOR_NAME: 'e2e',
        GIT_AUTHOR_EMAIL: 'e2e@crossdock.test',
        GIT_COMMITTER_NAME: 'e2e',
        GIT_COMMITTER_EMAIL: 'e2e@crossdock.test',
      };
      const git = (args: string[]) => execa('git', args, { cwd: fresh, env: gitEnv });
      await git(['add', '-A']);
      await git(['commit', '-q', '-m', 'crossdock']);
      await nx(['release', 'version', '1.4.0'], gitEnv);
      expect((await git(['tag', '--points-at', 'HEAD'])).stdout).toBe('api@1.4.0');
      const published = await nx(['release', 'publish'], { CROSSDOCK_REGISTRY: '127.0.0.1:5000' });
      expect(published).toContain(`127.0.0.1:5000/${repository}:latest@sha256:`);
      const tags = await execa('skopeo', [
        'list-tags',
        '--tls-verify=false',
        `docker://127.0.0.1:5000/${repository}`,
      ]);
      expect(
        (JSON.parse(tags.stdout) as { Tags: string[] }).Tags.filter(
          (t) => !t.startsWith('sha256-'),
        ).sort(),
      ).toEqual(['1', '1.4', '1.4.0', 'latest']);
    }, 500_000);
  },
);
