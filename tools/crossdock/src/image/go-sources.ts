import { chmod, copyFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, posix, sep } from 'node:path';
import { findGoModules, parseGoDirective } from '../go/modules';

/** The Go sources a hermetic build needs, relative to the workspace root. */
export interface GoSources {
  /** Files, sorted: go.work(.sum) if any, each module's go.mod/go.sum, the closure's package files. */
  readonly files: readonly string[];
  /** The `go` directive of the module holding the project (`1.26`), for the goImage template. */
  readonly goVersion?: string;
}

/** Directories never copied: VCS and tool state, build output, and test data. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'testdata']);

/**
 * The Go sources of a project and its Go dependencies: the module files (go.work and every
 * module's go.mod/go.sum, so `go build` resolves the workspace as on the host), and every
 * file under the given source paths (the closure's package directories and module files;
 * missing ones are skipped) except tests (`*_test.go`), `testdata/` and hidden entries.
 * Embedded files stay in, since `//go:embed` may name any file.
 */
export async function collectGoSources(
  workspaceRoot: string,
  projectRoot: string,
  sourceRoots: readonly string[],
): Promise<GoSources> {
  const files = new Set<string>();
  for (const name of ['go.work', 'go.work.sum'])
    if (existsSync(join(workspaceRoot, name))) files.add(name);
  const modules = findGoModules(workspaceRoot);
  for (const module of modules) {
    for (const name of ['go.mod', 'go.sum']) {
      const path = posix.join(module.dir.split(sep).join('/'), name);
      if (existsSync(join(workspaceRoot, path))) files.add(path);
    }
  }
  for (const root of sourceRoots) {
    const kind = await stat(join(workspaceRoot, root)).then(
      (s) => (s.isDirectory() ? 'dir' : 'file'),
      () => 'missing',
    );
    if (kind === 'file') files.add(root);
    else if (kind === 'dir') for (const file of await walk(workspaceRoot, root)) files.add(file);
  }
  const owner = modules
    .filter((m) => m.dir === '.' || projectRoot === m.dir || projectRoot.startsWith(`${m.dir}/`))
    .sort((a, b) => b.dir.length - a.dir.length)[0];
  const goMod = owner === undefined ? undefined : join(workspaceRoot, owner.dir, 'go.mod');
  const goVersion =
    goMod === undefined ? undefined : parseGoDirective(await readFile(goMod, 'utf8'));
  return { files: [...files].sort(), ...(goVersion === undefined ? {} : { goVersion }) };
}

async function walk(workspaceRoot: string, root: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(join(workspaceRoot, dir), { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = dir === '.' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await visit(path);
      } else if (entry.isFile() && !entry.name.endsWith('_test.go')) {
        out.push(path);
      }
    }
  };
  await visit(root);
  return out;
}

/**
 * Copies the sources into `<contextDir>/<into>/`, at their workspace paths. Modes are set
 * explicitly (0644 files, 0755 directories) so the context does not depend on the umask.
 */
export async function copyGoSources(
  workspaceRoot: string,
  contextDir: string,
  into: string,
  sources: GoSources,
): Promise<void> {
  const dirs = new Set<string>(['.']);
  for (const file of sources.files) {
    for (let dir = posix.dirname(file); dir !== '.'; dir = posix.dirname(dir)) dirs.add(dir);
  }
  for (const dir of [...dirs].sort()) {
    await mkdir(join(contextDir, into, dir), { recursive: true });
    await chmod(join(contextDir, into, dir), 0o755);
  }
  for (const file of sources.files) {
    const target = join(contextDir, into, file);
    await copyFile(join(workspaceRoot, file), target);
    await chmod(target, 0o644);
  }
}
