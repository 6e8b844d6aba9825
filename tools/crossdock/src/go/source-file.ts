import { headerConstraint, type Constraint } from './build-constraints';
import { parseGoImports } from './imports';

/** What crossdock needs to know of one Go source file to decide what `go build` reads. */
export interface GoSourceInfo {
  /** The package clause's name, undefined when the file has none (not a Go file go would build). */
  readonly packageName?: string;
  /** The file's build constraint, undefined when it has none. */
  readonly constraint?: Constraint;
  readonly imports: readonly string[];
  /** Whether the file imports "C" (a cgo file: compiled only with CGO_ENABLED=1). */
  readonly cgo: boolean;
  /** The patterns of its `//go:embed` directives, as written (an `all:` prefix kept). */
  readonly embedPatterns: readonly string[];
  /** Paths named as `${SRCDIR}/…` in its `#cgo` directives (include and library directories). */
  readonly cgoSourceDirs: readonly string[];
}

const PACKAGE_CLAUSE = /^\s*package\s+([A-Za-z_][A-Za-z0-9_]*)/m;

/** Reads a Go source file's package name, constraint, imports, embed patterns and cgo directories. */
export function parseGoSource(source: string): GoSourceInfo {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, '');
  const packageName = PACKAGE_CLAUSE.exec(withoutComments)?.[1];
  const imports = parseGoImports(source);
  const cgo = imports.includes('C');
  const constraint = headerConstraint(source);
  return {
    ...(packageName === undefined ? {} : { packageName }),
    ...(constraint === undefined ? {} : { constraint }),
    imports,
    cgo,
    embedPatterns: imports.includes('embed') ? embedPatterns(source) : [],
    cgoSourceDirs: cgo ? cgoSourceDirs(source) : [],
  };
}

/** The patterns of every `//go:embed` line: space-separated, each bare, "quoted" or `raw`. */
export function embedPatterns(source: string): string[] {
  const patterns: string[] = [];
  for (const line of source.matchAll(/^[ \t]*\/\/go:embed[ \t]+(.*)$/gm)) {
    for (const word of line[1].matchAll(/"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g)) {
      const pattern =
        word[1] !== undefined ? (JSON.parse(`"${word[1]}"`) as string) : (word[2] ?? word[3]);
      if (pattern !== undefined && pattern !== '') patterns.push(pattern);
    }
  }
  return patterns;
}

/** The `${SRCDIR}/path` operands of `#cgo` directives, as paths relative to the package directory. */
function cgoSourceDirs(source: string): string[] {
  const dirs = new Set<string>();
  for (const line of source.matchAll(/^\s*(?:\/\/)?\s*#cgo\b(.*)$/gm)) {
    for (const ref of line[1].matchAll(/\$\{SRCDIR\}\/?([^\s"']*)/g))
      dirs.add(ref[1].replace(/\/+$/, '') || '.');
  }
  return [...dirs].sort();
}
