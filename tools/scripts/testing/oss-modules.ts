import { chmodSync, cpSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

/** A real open-source Go module from the Go module proxy, at a pinned version, and its main package. */
export interface OssApp {
  /** The Nx project name a user would give it. */
  readonly name: string;
  readonly module: string;
  readonly version: string;
  /** Where a user places the module in the workspace. */
  readonly moduleDir: string;
  /** The directory of its main package (the project root), relative to the workspace. */
  readonly projectRoot: string;
  readonly main: '.';
  /** A flag that prints the version and exits 0. */
  readonly versionFlag: string;
}

/**
 * The fixtures from code nobody here wrote: a feed reader whose main package is at its
 * module root (internal/ packages, templates, static files and translations embedded), and
 * an HTTP test service with no dependencies (main under cmd/, embedded static files, an
 * internal/ package only its tests import).
 */
export const OSS_APPS: readonly OssApp[] = [
  {
    name: 'miniflux',
    module: 'miniflux.app/v2',
    version: 'v2.3.5',
    moduleDir: 'services/miniflux',
    projectRoot: 'services/miniflux',
    main: '.',
    versionFlag: '-version',
  },
  {
    name: 'go-httpbin',
    module: 'github.com/mccutchen/go-httpbin/v2',
    version: 'v2.26.0',
    moduleDir: 'services/go-httpbin',
    projectRoot: 'services/go-httpbin/cmd/go-httpbin',
    main: '.',
    versionFlag: '-help',
  },
];

/** The go.work that lists the fixtures' modules, as a user adds their own modules. */
export const OSS_GO_WORK = `go 1.26.0\n\nuse (\n${OSS_APPS.map((app) => `\t./${app.moduleDir}\n`).join('')})\n`;

/** The module's unpacked source from the module cache (`go mod download -json`: fetched once, then read). */
export async function downloadModule(app: OssApp): Promise<string> {
  const { stdout } = await execa(
    'go',
    ['mod', 'download', '-json', `${app.module}@${app.version}`],
    { env: { GOFLAGS: '', GOTOOLCHAIN: 'local' } },
  );
  return (JSON.parse(stdout) as { Dir: string }).Dir;
}

/** Copies the fixtures' modules, unchanged, into `root` (made writable, as a checkout is) and writes the go.work. */
export async function addOssModules(root: string): Promise<void> {
  for (const app of OSS_APPS) {
    const target = join(root, app.moduleDir);
    cpSync(await downloadModule(app), target, { recursive: true });
    makeWritable(target);
  }
  writeFileSync(join(root, 'go.work'), OSS_GO_WORK);
}

let shared: Promise<string> | undefined;

/** One workspace directory with the fixtures' modules and go.work, shared by a test file's tests. */
export function ossWorkspace(): Promise<string> {
  shared ??= (async () => {
    const root = mkdtempSync(join(tmpdir(), 'crossdock-oss-'));
    await addOssModules(root);
    return root;
  })();
  return shared;
}

function makeWritable(path: string): void {
  const stat = statSync(path);
  chmodSync(path, stat.mode | 0o200);
  if (stat.isDirectory()) for (const name of readdirSync(path)) makeWritable(join(path, name));
}
