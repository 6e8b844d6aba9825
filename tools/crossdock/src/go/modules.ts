import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/** A Go module of the workspace: its import path and its directory relative to the workspace root. */
export interface GoModule {
  readonly path: string;
  readonly dir: string;
}

/** The `module` path declared by a go.mod file's text. */
export function parseModulePath(goModText: string): string | undefined {
  return /^\s*module\s+("?)([^\s"]+)\1\s*$/m.exec(goModText)?.[2];
}

/** The `go` directive of a go.mod or go.work text (`1.26`, `1.26.0`). */
export function parseGoDirective(text: string): string | undefined {
  return /^\s*go\s+(\d+(?:\.\d+){1,2}\S*)\s*$/m.exec(text)?.[1];
}

/** A `replace` directive whose target is a directory (`=> ../x`), not a module version. */
export interface LocalReplace {
  /** The replaced module path. */
  readonly path: string;
  /** The target directory as written, relative to the go.mod or go.work that holds it. */
  readonly target: string;
}

/** The directory replacements of a go.mod or go.work text, single lines and blocks. */
export function parseLocalReplaces(text: string): LocalReplace[] {
  const lines: string[] = [];
  const clean = text.replace(/\/\/.*$/gm, '');
  for (const block of clean.matchAll(/^\s*replace\s*\(([\s\S]*?)\)/gm))
    lines.push(...block[1].split('\n'));
  for (const single of clean.matchAll(/^\s*replace\s+([^(\n].*)$/gm)) lines.push(single[1]);
  const replaces: LocalReplace[] = [];
  for (const line of lines) {
    const match = /^\s*"?([^\s"]+)"?(?:\s+\S+)?\s*=>\s*"?([^\s"]+)"?\s*$/.exec(line);
    if (match && /^(\.\.?\/|\.\.?$|\/)/.test(match[2]))
      replaces.push({ path: match[1], target: match[2] });
  }
  return replaces;
}

/** The directories listed by `use` in a go.work file's text (single lines and blocks). */
export function parseGoWorkUses(goWorkText: string): string[] {
  const text = goWorkText.replace(/\/\/.*$/gm, '');
  const uses: string[] = [];
  for (const match of text.matchAll(/^\s*use\s*\(([\s\S]*?)\)/gm)) {
    uses.push(
      ...match[1]
        .split('\n')
        .map((line) => line.trim().replace(/^"|"$/g, ''))
        .filter(Boolean),
    );
  }
  for (const match of text.matchAll(/^\s*use\s+("?)([^\s"(]+)\1\s*$/gm)) uses.push(match[2]);
  return uses;
}

/**
 * The workspace's Go modules, from go.work when present, else the root go.mod and the
 * directories of `goModFiles` (the workspace's go.mod files, when the caller knows them).
 * Longest module paths first, so the first prefix match of an import is the right module.
 * Reads a few small files; never runs the go command.
 */
export function findGoModules(
  workspaceRoot: string,
  goModFiles: readonly string[] = [],
): GoModule[] {
  const goWork = join(workspaceRoot, 'go.work');
  const dirs = existsSync(goWork)
    ? parseGoWorkUses(readFileSync(goWork, 'utf8'))
    : [...new Set(['.', ...goModFiles.map((file) => dirname(file))])];
  const modules: GoModule[] = [];
  for (const dir of dirs) {
    const goMod = join(workspaceRoot, dir, 'go.mod');
    if (!existsSync(goMod)) continue;
    const path = parseModulePath(readFileSync(goMod, 'utf8'));
    if (path) modules.push({ path, dir: normalize(dir) });
  }
  return modules.sort((a, b) => b.path.length - a.path.length);
}
