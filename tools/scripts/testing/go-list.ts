import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { minimatch } from 'minimatch';
import { goEnv, type Platform } from '@crossdock/platform';
import type { GoClosure } from '../../crossdock/src/go/closure';

const FILE_LISTS = [
  'GoFiles',
  'CgoFiles',
  'SFiles',
  'HFiles',
  'CFiles',
  'CXXFiles',
  'MFiles',
  'FFiles',
  'SysoFiles',
  'SwigFiles',
  'SwigCXXFiles',
  'EmbedFiles',
] as const;

/**
 * The ground truth: every file of the workspace that `go list -deps` says go build reads
 * for a main package and platform (the files of each non-standard package in a directory
 * of the workspace, embedded files included), as workspace-relative paths.
 */
export async function goListFiles(
  workspaceRoot: string,
  mainDir: string,
  platform: Platform,
  options: { cgo?: boolean; tags?: readonly string[] } = {},
): Promise<Set<string>> {
  const args = ['list', '-deps', `-json=Dir,Standard,${FILE_LISTS.join(',')}`];
  if (options.tags?.length) args.push(`-tags=${options.tags.join(',')}`);
  args.push(`./${mainDir}`);
  const { stdout } = await execa('go', args, {
    cwd: workspaceRoot,
    env: { ...goEnv(platform, { cgo: options.cgo === true }), GOTOOLCHAIN: 'local', GOFLAGS: '' },
  });
  const files = new Set<string>();
  for (const chunk of stdout.split(/\n(?=\{)/)) {
    const pkg = JSON.parse(chunk) as { Dir?: string; Standard?: boolean } & Partial<
      Record<(typeof FILE_LISTS)[number], string[]>
    >;
    if (pkg.Standard || pkg.Dir === undefined) continue;
    const dir = relative(workspaceRoot, pkg.Dir);
    if (dir.startsWith('..')) continue;
    for (const list of FILE_LISTS)
      for (const file of pkg[list] ?? []) files.add(dir === '' ? file : `${dir}/${file}`);
  }
  return files;
}

/** A closure's files and the files its globs match now, as workspace-relative paths. */
export function closureFiles(workspaceRoot: string, closure: GoClosure): Set<string> {
  const files = new Set<string>();
  for (const file of closure.files) files.add(relative(workspaceRoot, file));
  for (const { dir, pattern } of closure.globs) {
    for (const file of walk(dir)) {
      if (minimatch(relative(dir, file), pattern, { dot: true }))
        files.add(relative(workspaceRoot, file));
    }
  }
  return files;
}

function walk(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
