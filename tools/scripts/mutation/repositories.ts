import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { copyWorkspace, type WorkspaceCopy } from '../testing/workspace-copy';
import { GO_LAYOUT_FILES, goModWithLayouts } from '../testing/go-layouts';
import { addOssModules, OSS_APPS } from '../testing/oss-modules';

/** The go.work of the harness workspace: the root module, the layouts' extra module, the open-source modules. */
const GO_WORK = `go 1.26.0\n\nuse (\n\t.\n\t./modules/extra\n${OSS_APPS.map((app) => `\t./${app.moduleDir}\n`).join('')})\n`;

/** The platforms the harness builds for every app. */
export const HARNESS_SLUGS = ['linux-amd64', 'linux-arm64'] as const;

/** The projects whose compile tasks the harness watches. */
export const HARNESS_PROJECTS = [
  'hello',
  'relay',
  'layouts',
  ...OSS_APPS.map((app) => app.name),
] as const;

/**
 * A copy of this workspace as the repositories of the harness: the sample apps, the Go layout
 * fixtures (go-layouts.ts), and the open-source modules placed as a user would (their own
 * modules in services/, listed in go.work; miniflux with a project.json, go-httpbin inferred), all
 * committed. go.work.sum is filled by one `go list` before the commit, as a first build would.
 */
export async function harnessWorkspace(): Promise<WorkspaceCopy> {
  const ws = await copyWorkspace();
  for (const [path, content] of Object.entries(GO_LAYOUT_FILES)) write(ws.root, path, content);
  write(ws.root, 'go.mod', goModWithLayouts(readFileSync(join(ws.root, 'go.mod'), 'utf8')));
  await addOssModules(ws.root);
  write(ws.root, 'go.work', GO_WORK);
  // miniflux gets a project.json (its inferred name would be "miniflux.app"); go-httpbin has
  // none: crossdock infers it from its main package, as in a repository that only has go.mod.
  for (const app of OSS_APPS.filter((a) => a.name === 'miniflux')) {
    const options = {
      platforms: ['linux/amd64', 'linux/arm64'],
      binary: app.name,
      ldflags: ['-s', '-w'],
      smokeArgs: [app.versionFlag],
      smokeExpect: '',
    };
    write(
      ws.root,
      join(app.projectRoot, 'project.json'),
      JSON.stringify(
        { name: app.name, projectType: 'application', targets: { image: { options } } },
        null,
        2,
      ),
    );
  }
  // Every app builds for the same two platforms here.
  for (const dir of ['apps/hello', 'apps/relay']) {
    const path = join(ws.root, dir, 'project.json');
    const project = JSON.parse(readFileSync(path, 'utf8'));
    project.targets.image.options.platforms = ['linux/amd64', 'linux/arm64'];
    writeFileSync(path, JSON.stringify(project, null, 2));
  }
  await execa(
    'go',
    ['list', '-deps', './...', ...OSS_APPS.map((app) => `./${app.moduleDir}/...`)],
    { cwd: ws.root, env: { GOFLAGS: '', GOTOOLCHAIN: 'local' } },
  );
  await ws.git(['add', '-A']);
  await ws.git(['commit', '-q', '-m', 'harness repositories']);
  return ws;
}

/** Which repository of the harness a file belongs to, for the report. */
export function repositoryOf(file: string): string {
  return (
    OSS_APPS.find((app) => file.startsWith(`${app.moduleDir}/`))?.name ??
    'crossdock samples + layouts'
  );
}

/**
 * The files the harness mutates: every file git tracks, except the Nx and npm configuration
 * (project.json, nx.json, package.json and their kin: editing them is a configuration change
 * Nx hashes by design) and the TypeScript of the plugin and its libraries (no Go build reads it).
 */
export async function mutableFiles(ws: WorkspaceCopy): Promise<string[]> {
  const files = (await ws.git(['ls-files'])).split('\n').filter(Boolean);
  return files.filter(
    (file) =>
      !/(^|\/)(project\.json|nx\.json|package\.json|package-lock\.json|tsconfig[^/]*\.json|\.gitignore)$/.test(
        file,
      ) &&
      !file.startsWith('tools/') &&
      !/^libs\/(platform|elf|dockerfile|oci)\//.test(file),
  );
}

function write(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}
