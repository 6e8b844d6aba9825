import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';

/** A Go module of the workspace: its import path and its directory relative to the workspace root. */
export interface GoModule {
  readonly path: string;
  readonly dir: string;
}

/** The `module` path declared by a go.mod file's text. */
export function parseModulePath(goModText: string): string | undefined {
  return /^\s*module\s+("?)([^\s"]+)\1\s*$/m.exec(goModText)?.[2];
}

/** The directories listed by `use` in a go.work file's text (single lines and blocks). */
export function parseGoWorkUses(goWorkText: string): string[] {
  const text = goWorkText.replace(/\/\/.*$/gm, '');
  const uses: string[] = [];
  for (const match of text.matchAll(/^\s*use\s*\(([\s\S]*?)\)/gm)) {
    uses.push(...match[1].split('\n').map((line) => line.trim().replace(/^"|"$/g, '')).filter(Boolean));
  }
  for (const match of text.matchAll(/^\s*use\s+("?)([^\s"(]+)\1\s*$/gm)) uses.push(match[2]);
  return uses;
}

/**
 * The workspace's Go modules, from go.work when present, else the root go.mod. Longest
 * module paths first, so the first prefix match of an import is the right module.
 * Reads two or three small files; never runs the go command.
 */
export function findGoModules(workspaceRoot: string): GoModule[] {
  const goWork = join(workspaceRoot, 'go.work');
  const dirs = existsSync(goWork) ? parseGoWorkUses(readFileSync(goWork, 'utf8')) : ['.'];
  const modules: GoModule[] = [];
  for (const dir of dirs) {
    const goMod = join(workspaceRoot, dir, 'go.mod');
    if (!existsSync(goMod)) continue;
    const path = parseModulePath(readFileSync(goMod, 'utf8'));
    if (path) modules.push({ path, dir: normalize(dir) });
  }
  return modules.sort((a, b) => b.path.length - a.path.length);
}
