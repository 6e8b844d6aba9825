import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { taskOutcomes } from './nx-output';

// Issue 28 end to end in one workspace copy against the test registry (127.0.0.1:5000, a
// repository of this test's own): templates and their cache inputs, CROSSDOCK_REGISTRY,
// annotations kept by the CI merge, crossdock resolve, nx release version + publish, and
// conventional-commit bumps. Read back with skopeo and by running the built binary.
const REGISTRY = '127.0.0.1:5000';
const gate = toolGate('release end to end', ['go', 'git', 'skopeo'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);
const STAMP = '-X github.com/crossdock/crossdock/libs/go/buildinfo.Version';
const BINARY = 'dist/bin/relay/linux/amd64/relay';

interface Raw {
  readonly manifests?: readonly { readonly digest: string }[];
  readonly annotations?: Readonly<Record<string, string>>;
}

async function skopeo(args: readonly string[]): Promise<string> {
  const result = await execa('skopeo', [...args], { reject: false });
  if (result.exitCode !== 0) throw new Error(`skopeo ${args.join(' ')}: ${result.stderr}`);
  return String(result.stdout);
}
const raw = (ref: string) => skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${ref}`]);
const digestOf = async (ref: string) =>
  (
    await skopeo(['inspect', '--tls-verify=false', '--format', '{{.Digest}}', `docker://${ref}`])
  ).trim();
const tagsOf = async (repository: string) =>
  (
    JSON.parse(
      await skopeo(['list-tags', '--tls-verify=false', `docker://${REGISTRY}/${repository}`]),
    ) as { Tags: string[] }
  ).Tags.filter((tag) => !tag.startsWith('sha256-'));

describe.skipIf(!gate.ok && !gate.ci)(
  'release, templates, annotations, resolve (end to end)',
  () => {
    let ws: WorkspaceCopy;
    const repository = `release-e2e/${randomBytes(4).toString('hex')}/relay`;
    const ref = (tag: string) => `${REGISTRY}/${repository}:${tag}`;
    const env = { CROSSDOCK_REGISTRY: REGISTRY };
    const setRelay = async (options: Record<string, unknown>, message: string) => {
      const path = join(ws.root, 'apps/relay/project.json');
      const project = JSON.parse(readFileSync(path, 'utf8'));
      Object.assign(project.targets.image.options, options);
      writeFileSync(path, `${JSON.stringify(project, null, 2)}\n`);
      await ws.git(['commit', '-qam', message]);
    };
    const relayVersion = async () =>
      JSON.parse((await execa(join(ws.root, BINARY), ['--version'])).stdout).version as string;
    const crossdock = (args: readonly string[], input?: string) =>
      execa('node', [join(ws.root, 'tools/crossdock/bin/crossdock.js'), ...args], {
        cwd: ws.root,
        env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', ...env },
        reject: false,
        ...(input !== undefined ? { input } : {}),
      });

    beforeAll(async () => {
      if (!gate.ok) throw new Error(gate.message);
      const registry = await fetch(`http://${REGISTRY}/v2/`).catch(() => undefined);
      if (!registry?.ok)
        throw new Error(`no registry at ${REGISTRY}; run tools/scripts/setup-engines.sh`);
      ws = await copyWorkspace();
      await setRelay(
        {
          repository,
          annotations: {
            'org.example.team': 'edge',
            'index:org.example.release': 'v{version}',
            'manifest:org.example.arch': '{os}-{arch}',
          },
        },
        'e2e: relay repository and annotations',
      );
    }, 120_000);
    afterAll(() => ws?.remove());

    it('stamps {commit} through the ldflags, rebuilding on a new commit; a tag template never recompiles', async () => {
      const compile = async () => {
        const run = await ws.nx(['run', 'relay:compile--linux-amd64', '--outputStyle=static']);
        expect(run.exitCode, run.output).toBe(0);
        return taskOutcomes(run.output);
      };
      await setRelay(
        { ldflags: ['-s', '-w', `${STAMP}={version}+{commit}`] },
        'e2e: commit in ldflags',
      );
      await compile();
      const first = await ws.git(['rev-parse', '--short', 'HEAD']);
      expect(await relayVersion()).toBe(`1.0.0+${first}`);
      await ws.git(['commit', '-q', '--allow-empty', '-m', 'e2e: a new commit']);
      expect((await compile()).ran).toContain('relay:compile--linux-amd64');
      expect(await relayVersion()).toBe(`1.0.0+${await ws.git(['rev-parse', '--short', 'HEAD'])}`);

      await setRelay(
        {
          ldflags: ['-s', '-w', `${STAMP}={version}`],
          tags: ['{version}', '{major}.{minor}', '{commit}'],
        },
        'e2e: commit in a tag template only',
      );
      await compile();
      await ws.git(['commit', '-q', '--allow-empty', '-m', 'e2e: another commit']);
      expect((await compile()).cached).toContain('relay:compile--linux-amd64');
      expect(await relayVersion()).toBe('1.0.0');
    }, 300_000);

    it('pushes to CROSSDOCK_REGISTRY with templated tags and annotations on the index and the manifests', async () => {
      const push = await ws.nx(['run', 'relay:push', '--outputStyle=static'], env);
      expect(push.exitCode, push.output).toBe(0);
      const commit = await ws.git(['rev-parse', '--short', 'HEAD']);
      expect((await tagsOf(repository)).sort()).toEqual(['1.0', '1.0.0', commit].sort());
      const index = JSON.parse(await raw(ref('1.0.0'))) as Raw;
      expect(index.annotations).toMatchObject({
        'org.example.team': 'edge',
        'org.example.release': 'v1.0.0',
      });
      expect(index.annotations).not.toHaveProperty('org.example.arch');
      const arches = [];
      for (const manifest of index.manifests!) {
        const annotations = (
          JSON.parse(await raw(`${REGISTRY}/${repository}@${manifest.digest}`)) as Raw
        ).annotations!;
        expect(annotations['org.example.team']).toBe('edge');
        expect(annotations).not.toHaveProperty('org.example.release');
        arches.push(annotations['org.example.arch']);
      }
      expect(arches.sort()).toEqual(['linux-amd64', 'linux-arm64']);
    }, 300_000);

    it('the CI merge of the cells gives the same index, byte for byte, annotations included', async () => {
      for (const slug of ['linux-amd64', 'linux-arm64']) {
        const cell = await ws.nx(['run', `relay:push--${slug}`, '--outputStyle=static'], env);
        expect(cell.exitCode, cell.output).toBe(0);
      }
      const merge = await crossdock([
        'merge',
        'relay',
        '--digests=dist/digests/relay',
        '--tag',
        'merged',
      ]);
      expect(merge.exitCode, String(merge.stderr)).toBe(0);
      expect(await raw(ref('merged'))).toBe(await raw(ref('1.0.0')));
    }, 300_000);

    it('crossdock resolve replaces crossdock://relay by the pushed digest and keeps every other byte', async () => {
      const yaml = [
        '# deploy relay (comments, anchors and other documents stay)',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: relay}  # flow style',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: relay',
        '          image: &img crossdock://relay # the app',
        '        - name: sidecar',
        '          image: "busybox:latest"',
        '---',
        'kind: Job',
        'spec: {image: *img, again: "crossdock://relay"}',
        '',
      ].join('\n');
      writeFileSync(join(ws.root, 'deploy.yaml'), yaml);
      const resolved = await crossdock(['resolve', '-f', 'deploy.yaml']);
      expect(resolved.exitCode, String(resolved.stderr)).toBe(0);
      const digest = await digestOf(ref('1.0.0'));
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(resolved.stdout + '\n').toBe(
        yaml.replaceAll('crossdock://relay', `${REGISTRY}/${repository}@${digest}`),
      );

      const stdin = await crossdock(['resolve', '-f', '-'], 'image: crossdock://relay\n');
      expect(stdin.stdout).toBe(`image: ${REGISTRY}/${repository}@${digest}`);

      const unknown = await crossdock(
        ['resolve', '-f', '-'],
        '---\n# x\nimage: crossdock://nope\n',
      );
      expect(unknown.exitCode).toBe(1);
      expect(String(unknown.stderr).trim()).toMatch(
        /^crossdock resolve: <stdin>:3: crossdock:\/\/nope: no project "nope" with a push target in this workspace \(projects: [^\n]*relay/,
      );
      expect(String(unknown.stderr)).not.toContain('run-many');
      const broken = await crossdock(['resolve', '-f', '-'], 'a: [1,\n');
      expect(broken.exitCode).toBe(1);
      expect(String(broken.stderr).trim()).toMatch(
        /^crossdock resolve: <stdin>:\d+: not valid YAML: [^\n]*$/,
      );
    }, 300_000);

    it('nx release version 1.4.0 && nx release publish: tags 1.4.0, 1.4, 1, latest; the binary and the label say 1.4.0', async () => {
      const version = await ws.nx(['release', 'version', '1.4.0', '--projects=relay'], env);
      expect(version.exitCode, version.output).toBe(0);
      expect(await ws.git(['tag', '--points-at', 'HEAD'])).toBe('relay@1.4.0');
      const project = JSON.parse(readFileSync(join(ws.root, 'apps/relay/project.json'), 'utf8'));
      expect(project.targets.image.options.version).toBe('1.4.0');

      const dry = await ws.nx(['release', 'publish', '--projects=relay', '--dry-run'], env);
      expect(dry.exitCode, dry.output).toBe(0);
      for (const tag of ['1.4.0', '1.4', '1', 'latest'])
        expect(dry.output).toContain(`[dry-run] would push ${ref(tag)}`);
      expect(await tagsOf(repository)).not.toContain('1.4.0');

      const publish = await ws.nx(['release', 'publish', '--projects=relay'], env);
      expect(publish.exitCode, publish.output).toBe(0);
      const digest = await digestOf(ref('1.4.0'));
      for (const tag of ['1.4', '1', 'latest']) expect(await digestOf(ref(tag))).toBe(digest);
      const config = JSON.parse(
        await skopeo([
          'inspect',
          '--tls-verify=false',
          '--override-arch',
          'arm64',
          '--config',
          `docker://${ref('1')}`,
        ]),
      );
      expect(config.config.Labels['org.opencontainers.image.version']).toBe('1.4.0');
      expect(await relayVersion()).toBe('1.4.0');
    }, 600_000);

    it('nx release version with no specifier bumps relay from its conventional commits since relay@1.4.0', async () => {
      const touch = async (file: string, message: string) => {
        writeFileSync(
          join(ws.root, file),
          `${readFileSync(join(ws.root, file), 'utf8')}// ${message}\n`,
        );
        await ws.git(['commit', '-qam', message]);
      };
      const release = async (args: readonly string[] = []) => {
        const run = await ws.nx(['release', 'version', ...args], env);
        expect(run.exitCode, run.output).toBe(0);
        return run.output;
      };
      const versionIn = (app: string) =>
        JSON.parse(readFileSync(join(ws.root, `apps/${app}/project.json`), 'utf8')).targets.image
          .options.version as string;
      const tags = async () => (await ws.git(['tag', '--list'])).split('\n').sort();

      await touch('apps/relay/serve.go', 'fix: relay closes idle connections');
      await release(['--projects=relay']);
      expect(versionIn('relay')).toBe('1.4.1');
      expect(await ws.git(['tag', '--points-at', 'HEAD'])).toBe('relay@1.4.1');

      await touch('apps/relay/main.go', 'feat: relay speaks UDP');
      await release(['--projects=relay']);
      expect(versionIn('relay')).toBe('1.5.0');
      expect(await ws.git(['tag', '--points-at', 'HEAD'])).toBe('relay@1.5.0');

      // A commit touching only hello: all Go apps released, hello (never tagged: its version
      // comes from its project.json) gets a minor bump, relay none (no commit, no new tag).
      await touch('apps/hello/main.go', 'feat: hello says hi');
      const before = await tags();
      const output = await release();
      expect(versionIn('relay'), output).toBe('1.5.0');
      expect(versionIn('hello'), output).toBe('1.1.0');
      expect(await ws.git(['tag', '--points-at', 'HEAD'])).toBe('hello@1.1.0');
      expect(await tags()).toEqual([...before, 'hello@1.1.0'].sort());

      await touch('apps/relay/serve.go', 'feat!: relay drops the v1 protocol');
      await release(['--projects=relay']);
      expect(versionIn('relay')).toBe('2.0.0');
      expect(await ws.git(['tag', '--points-at', 'HEAD'])).toBe('relay@2.0.0');
    }, 300_000);
  },
);
