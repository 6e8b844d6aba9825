import { closeSync, openSync, readdirSync, readFileSync, readSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { parseGoSource, type GoSourceInfo } from './source-file';
import { headerConstraint, type Constraint } from './build-constraints';

/** One non-test Go file of a package directory. */
export interface GoFile {
  readonly name: string;
  readonly info: GoSourceInfo;
}

/** A file of a package directory that go build may read besides the Go files (assembly, C, objects). */
export interface OtherSourceFile {
  readonly name: string;
  readonly kind: 'asm' | 'c' | 'header' | 'syso';
  readonly constraint?: Constraint;
}

/** What a directory holds for go build: its Go files and the other source files beside them. */
export interface PackageDir {
  readonly goFiles: readonly GoFile[];
  readonly otherFiles: readonly OtherSourceFile[];
  /** Whether the directory holds a go.mod (then it is another module's root, not a package of the parent's). */
  readonly isModuleRoot: boolean;
}

/** File endings of the non-Go files go build reads, by kind (see `go help c` and go/build). */
const OTHER_KINDS: Readonly<Record<string, OtherSourceFile['kind']>> = {
  '.s': 'asm',
  '.S': 'asm',
  '.sx': 'asm',
  '.c': 'c',
  '.cc': 'c',
  '.cpp': 'c',
  '.cxx': 'c',
  '.m': 'c',
  '.f': 'c',
  '.F': 'c',
  '.for': 'c',
  '.f90': 'c',
  '.swig': 'c',
  '.swigcxx': 'c',
  '.h': 'header',
  '.hh': 'header',
  '.hpp': 'header',
  '.hxx': 'header',
  '.syso': 'syso',
};

/** How many bytes of a non-Go source file are read for its build constraint (it must stand at the top). */
const HEADER_BYTES = 4096;

/**
 * Reads a directory as go build sees it: `.go` files that are not tests and not named
 * `_*` or `.*` (go ignores those), parsed; assembly, C and object files with their header
 * constraint. A missing directory reads as empty.
 */
export function readPackageDir(dir: string): PackageDir {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return { goFiles: [], otherFiles: [], isModuleRoot: false };
  }
  const goFiles: GoFile[] = [];
  const otherFiles: OtherSourceFile[] = [];
  let isModuleRoot = false;
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    const name = entry.name;
    if (name === 'go.mod') isModuleRoot = true;
    if (name.startsWith('_') || name.startsWith('.')) continue;
    if (name.endsWith('.go')) {
      if (name.endsWith('_test.go')) continue;
      goFiles.push({ name, info: parseGoSource(readFileSync(join(dir, name), 'utf8')) });
      continue;
    }
    const dot = name.lastIndexOf('.');
    const kind = dot < 0 ? undefined : OTHER_KINDS[name.slice(dot)];
    if (kind === undefined) continue;
    const constraint = kind === 'syso' ? undefined : headerConstraint(readHead(join(dir, name)));
    otherFiles.push({ name, kind, ...(constraint === undefined ? {} : { constraint }) });
  }
  return { goFiles, otherFiles, isModuleRoot };
}

function readHead(file: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.alloc(HEADER_BYTES);
    return buffer.subarray(0, readSync(fd, buffer, 0, HEADER_BYTES, 0)).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
