import { readdirSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGE_CLAUSE = /^\s*package\s+([A-Za-z_][A-Za-z0-9_]*)/m;

/** The Go package name declared by the non-test .go files of a directory, or undefined if it has none. */
export function goPackageName(dir: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((name) => name.endsWith('.go') && !name.endsWith('_test.go'))
      .sort();
  } catch {
    return undefined;
  }
  for (const name of names) {
    const pkg = readPackageClause(join(dir, name));
    if (pkg) return pkg;
  }
  return undefined;
}

/** Reads only the head of a Go file (comments and the package clause come first). */
function readPackageClause(file: string): string | undefined {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(8192);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const head = buffer
      .subarray(0, length)
      .toString('utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    return PACKAGE_CLAUSE.exec(head)?.[1];
  } finally {
    closeSync(fd);
  }
}
