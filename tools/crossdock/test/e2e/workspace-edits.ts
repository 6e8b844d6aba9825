import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import {
  clearRunSummary,
  readRunSummary,
  type RunSummary,
} from '../../../scripts/testing/nx-run-summary';

/** The Go module path of the sample workspace. */
export const MODULE = 'github.com/crossdock/crossdock';

/** Undoes one edit of a workspace file. */
export type Restore = () => void;

/** Rewrites a file of a workspace (creating it when absent); the returned function puts it back as it was. */
export function editFile(root: string, path: string, edit: (text: string) => string): Restore {
  const file = join(root, path);
  const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, edit(before ?? ''));
  return () => (before === undefined ? rmSync(file) : writeFileSync(file, before));
}

/** Changes `targets.image.options` in a project.json; the returned function restores the file. */
export function editImageOptions(
  root: string,
  projectDir: string,
  edit: (options: Record<string, unknown>) => Record<string, unknown>,
): Restore {
  return editFile(root, join(projectDir, 'project.json'), (text) => {
    const project = JSON.parse(text);
    project.targets.image.options = edit({ ...project.targets.image.options });
    return `${JSON.stringify(project, null, 2)}\n`;
  });
}

/** Runs all of `restores`, last first. */
export function restoreAll(restores: readonly Restore[]): void {
  for (const restore of [...restores].reverse()) restore();
}

/**
 * Adds a Go library `libs/go/textx` (project go-textx) that httpx imports, so hello depends
 * on it transitively (hello → go-httpx → go-textx) and relay does not.
 */
export function addTransitiveLibrary(root: string): void {
  const files: Record<string, string> = {
    'libs/go/textx/project.json': `${JSON.stringify({ name: 'go-textx', projectType: 'library', sourceRoot: 'libs/go/textx', tags: ['lang:go'] }, null, 2)}\n`,
    'libs/go/textx/textx.go':
      '// Package textx holds text helpers for the e2e tests.\npackage textx\n\n// Banner is the text httpx puts in its Server header.\nconst Banner = "crossdock"\n',
    'libs/go/httpx/banner.go': `package httpx\n\nimport "${MODULE}/libs/go/textx"\n\n// Banner names the server in responses.\nvar Banner = textx.Banner\n`,
  };
  for (const [path, text] of Object.entries(files)) editFile(root, path, () => text);
}

/** The cacheable tasks of a run (the nx:noop `compile` aggregates are never cached). */
export function cacheable(ids: readonly string[]): string[] {
  return ids.filter((id) => !id.endsWith(':compile'));
}

/** Runs `nx run-many -t image` (or other args) in a copy and returns what Nx recorded for each task. */
export async function runTasks(
  ws: WorkspaceCopy,
  args: readonly string[] = ['run-many', '-t', 'image'],
  env: Record<string, string> = {},
  expectSuccess = true,
): Promise<RunSummary & { readonly output: string; readonly exitCode: number }> {
  clearRunSummary(ws.root);
  const run = await ws.nx([...args, '--outputStyle=static'], env);
  if (expectSuccess && run.exitCode !== 0)
    throw new Error(`nx ${args.join(' ')} failed (exit ${run.exitCode}):\n${run.output}`);
  return { ...readRunSummary(ws.root), output: run.output, exitCode: run.exitCode };
}
