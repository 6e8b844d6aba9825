import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';

/** The repository root, found from this file's location (never from process.cwd()). */
export const REPO_ROOT = resolve(__dirname, '../../..');

/** What a workspace copy holds: the Go workload, the plugin and libs, and the Nx config. */
const COPIED = [
  '.env',
  '.gitignore',
  'apps',
  'libs',
  'tools/crossdock',
  'go.mod',
  'go.sum',
  'nx.json',
  'package.json',
  'tsconfig.base.json',
  'tsconfig.json',
];
const SKIPPED = new Set(['node_modules', 'dist', '.nx', 'tmp', 'testdata-cache']);
/**
 * The cgo sample app: a copy leaves it out unless asked (`withCgo`), since its cross builds
 * (C for 6 platforms) cost minutes that tests of everything else need not pay.
 */
export const CGO_APP = 'apps/notes';

/** Options of copyWorkspace. */
export interface CopyOptions {
  /** Copy apps/notes too (tests about cgo, and the docs and README commands that build it). */
  readonly withCgo?: boolean;
}

/** A temporary copy of the workspace with its own git history, for end-to-end runs of nx. */
export interface WorkspaceCopy {
  readonly root: string;
  /** Runs nx in the copy (no daemon, no cloud); resolves with the result even on failure. */
  nx(
    args: readonly string[],
    env?: Record<string, string>,
  ): Promise<{ exitCode: number; output: string }>;
  /** Runs git in the copy. */
  git(args: readonly string[]): Promise<string>;
  remove(): void;
}

/**
 * Copies the workspace into a temporary directory and commits it (without apps/notes unless
 * `options.withCgo`). node_modules is a
 * directory of symlinks into the repository's, except @crossdock/*, which point at the
 * copy's own packages, so the copy runs its own plugin source.
 */
export async function copyWorkspace(
  extraFiles: readonly string[] = [],
  options: CopyOptions = {},
): Promise<WorkspaceCopy> {
  const root = mkdtempSync(join(tmpdir(), 'crossdock-e2e-'));
  const cgoApp = join(REPO_ROOT, CGO_APP);
  const keep = (source: string) =>
    !SKIPPED.has(source.split('/').pop()!) && (options.withCgo === true || source !== cgoApp);
  for (const entry of [...COPIED, ...extraFiles]) {
    cpSync(join(REPO_ROOT, entry), join(root, entry), { recursive: true, filter: keep });
  }
  linkNodeModules(root);
  const copy = workspaceAt(root);
  await copy.git(['init', '-q', '-b', 'main']);
  await copy.git(['config', 'user.email', 'e2e@crossdock.test']);
  await copy.git(['config', 'user.name', 'crossdock e2e']);
  await copy.git(['add', '-A']);
  await copy.git(['commit', '-q', '-m', 'workspace copy']);
  return copy;
}

/**
 * A second checkout of a copy's git repository (same commits) in another temporary
 * directory, with its own node_modules farm and no dist/ or Nx cache: two clones of one
 * commit, as two CI machines would have.
 */
export async function cloneWorkspace(from: WorkspaceCopy): Promise<WorkspaceCopy> {
  const root = mkdtempSync(join(tmpdir(), 'crossdock-clone-'));
  await execa('git', ['clone', '-q', from.root, root]);
  linkNodeModules(root);
  // The plugin bundle is not in git (npm ci builds it on a real clone): build it here.
  await execa('node', [join(root, 'tools/crossdock/scripts/build.js')], { cwd: root });
  return workspaceAt(root);
}

function workspaceAt(root: string): WorkspaceCopy {
  const env = {
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_SKIP_NX_CACHE: undefined,
    NX_TUI: 'false',
    CI: process.env.CI ?? '',
  };
  return {
    root,
    git: async (args: readonly string[]) => (await execa('git', [...args], { cwd: root })).stdout,
    async nx(args, extraEnv = {}) {
      const result = await execa('node', [join(root, 'node_modules/nx/dist/bin/nx.js'), ...args], {
        cwd: root,
        env: { ...env, ...extraEnv },
        reject: false,
        all: true,
      });
      // Nx colours its output under CI=true even when it is not a terminal; tests read plain text.
      return {
        exitCode: result.exitCode ?? -1,
        output: String(result.all ?? '').replace(/\u001b\[[0-9;]*m/g, ''),
      };
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

function linkNodeModules(root: string): void {
  const source = join(REPO_ROOT, 'node_modules');
  const target = join(root, 'node_modules');
  mkdirSync(join(target, '@crossdock'), { recursive: true });
  for (const entry of readdirSync(source)) {
    if (entry === '@crossdock' || entry === '.package-lock.json') continue;
    symlinkSync(join(source, entry), join(target, entry));
  }
  const own: Record<string, string> = {
    platform: 'libs/platform',
    elf: 'libs/elf',
    dockerfile: 'libs/dockerfile',
    oci: 'libs/oci',
    nx: 'tools/crossdock',
  };
  for (const [name, dir] of Object.entries(own))
    symlinkSync(join(root, dir), join(target, '@crossdock', name));
}
