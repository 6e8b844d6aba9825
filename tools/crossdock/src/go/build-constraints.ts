/**
 * Go build constraints: `//go:build` expressions (and legacy `// +build` lines) read from a
 * file's header, file-name suffixes (`_linux_arm64.go`), and their evaluation against a
 * build context. Evaluation is three-valued: a tag crossdock cannot know when it infers
 * inputs (a custom tag that GOFLAGS may set, a goexperiment) is `undefined`, and a file is
 * left out of a platform's inputs only when its constraint is false whatever such tags are.
 * So an input set may hold a file go build skips (an over-build), never the reverse.
 */

/** A parsed constraint expression. */
export type Constraint =
  | { readonly kind: 'tag'; readonly tag: string }
  | { readonly kind: 'not'; readonly operand: Constraint }
  | { readonly kind: 'and' | 'or'; readonly left: Constraint; readonly right: Constraint };

/** A tag's value in a build context: true, false, or unknown (undefined). */
export type TagValue = boolean | undefined;

/** What a constraint is evaluated against: the value of each tag. */
export type TagOracle = (tag: string) => TagValue;

/** GOOS values go/build knows (a file-name suffix naming one of them is a constraint). */
export const KNOWN_OS: ReadonlySet<string> = new Set([
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'hurd',
  'illumos',
  'ios',
  'js',
  'linux',
  'nacl',
  'netbsd',
  'openbsd',
  'plan9',
  'solaris',
  'wasip1',
  'windows',
  'zos',
]);

/** GOOS values for which the `unix` tag is set. */
export const UNIX_OS: ReadonlySet<string> = new Set([
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'hurd',
  'illumos',
  'ios',
  'linux',
  'netbsd',
  'openbsd',
  'solaris',
]);

/** GOARCH values go/build knows. */
export const KNOWN_ARCH: ReadonlySet<string> = new Set([
  '386',
  'amd64',
  'amd64p32',
  'arm',
  'armbe',
  'arm64',
  'arm64be',
  'loong64',
  'mips',
  'mipsle',
  'mips64',
  'mips64le',
  'mips64p32',
  'mips64p32le',
  'ppc',
  'ppc64',
  'ppc64le',
  'riscv',
  'riscv64',
  's390',
  's390x',
  'sparc',
  'sparc64',
  'wasm',
]);

/** Parses a `//go:build` expression (the text after `//go:build`). Throws on a malformed one. */
export function parseGoBuildExpression(text: string): Constraint {
  const tokens = text.match(/\(|\)|!|&&|\|\||[A-Za-z0-9_.]+|\S/g) ?? [];
  let at = 0;
  const fail = (why: string): never => {
    throw new SyntaxError(`invalid //go:build expression "${text.trim()}": ${why}`);
  };
  const or = (): Constraint => {
    let left = and();
    while (tokens[at] === '||') {
      at++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const and = (): Constraint => {
    let left = unary();
    while (tokens[at] === '&&') {
      at++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const unary = (): Constraint => {
    const token = tokens[at++];
    if (token === '!') return { kind: 'not', operand: unary() };
    if (token === '(') {
      const inner = or();
      if (tokens[at++] !== ')') fail('missing )');
      return inner;
    }
    if (token === undefined || !/^[A-Za-z0-9_.]+$/.test(token))
      fail(`unexpected ${token === undefined ? 'end' : `"${token}"`}`);
    return { kind: 'tag', tag: token! };
  };
  const expression = or();
  if (at !== tokens.length) fail(`unexpected "${tokens[at]}"`);
  return expression;
}

/** Parses one legacy `// +build` line: space-separated alternatives of comma-separated terms. */
export function parsePlusBuildLine(text: string): Constraint | undefined {
  let line: Constraint | undefined;
  for (const alternative of text.trim().split(/\s+/).filter(Boolean)) {
    let term: Constraint | undefined;
    for (const factor of alternative.split(',')) {
      const negated = factor.startsWith('!');
      const tag: Constraint = { kind: 'tag', tag: negated ? factor.slice(1) : factor };
      const value: Constraint = negated ? { kind: 'not', operand: tag } : tag;
      term = term === undefined ? value : { kind: 'and', left: term, right: value };
    }
    if (term !== undefined)
      line = line === undefined ? term : { kind: 'or', left: line, right: term };
  }
  return line;
}

/**
 * The build constraint in a source file's header (Go, C or assembly): the leading run of
 * blank lines and `//` comments. `//go:build` wins; else the `// +build` lines that stand
 * before the header's last blank line (Go ignores the others), ANDed. Undefined: none, or
 * a malformed one (the file then counts as an input; go build reports the error).
 */
export function headerConstraint(source: string): Constraint | undefined {
  const lines = source.split('\n');
  let goBuild: Constraint | undefined;
  const plus: { readonly index: number; readonly constraint: Constraint }[] = [];
  let lastBlank = -1;
  let inBlock = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    if (inBlock) {
      if (line.includes('*/')) inBlock = false;
      continue;
    }
    if (line === '') {
      lastBlank = index;
      continue;
    }
    if (line.startsWith('/*')) {
      inBlock = !line.includes('*/', 2);
      continue;
    }
    if (!line.startsWith('//')) break;
    if (/^\/\/go:build(\s|$)/.test(line)) {
      try {
        goBuild = parseGoBuildExpression(line.slice('//go:build'.length));
      } catch {
        return undefined;
      }
    } else if (/^\/\/\s*\+build(\s|$)/.test(line)) {
      const constraint = parsePlusBuildLine(line.replace(/^\/\/\s*\+build/, ''));
      if (constraint !== undefined) plus.push({ index, constraint });
    }
  }
  if (goBuild !== undefined) return goBuild;
  const counted = plus.filter((p) => p.index < lastBlank).map((p) => p.constraint);
  return counted.reduce<Constraint | undefined>(
    (all, c) => (all === undefined ? c : { kind: 'and', left: all, right: c }),
    undefined,
  );
}

/** Evaluates a constraint three-valued: false only when it is false for every value of the unknown tags. */
export function evaluate(constraint: Constraint, tags: TagOracle): TagValue {
  switch (constraint.kind) {
    case 'tag':
      return tags(constraint.tag);
    case 'not': {
      const value = evaluate(constraint.operand, tags);
      return value === undefined ? undefined : !value;
    }
    case 'and': {
      const left = evaluate(constraint.left, tags);
      const right = evaluate(constraint.right, tags);
      if (left === false || right === false) return false;
      return left === true && right === true ? true : undefined;
    }
    case 'or': {
      const left = evaluate(constraint.left, tags);
      const right = evaluate(constraint.right, tags);
      if (left === true || right === true) return true;
      return left === false && right === false ? false : undefined;
    }
  }
}

/**
 * Whether a file's name lets it build for the context, by go/build's rules: after the first
 * `_`, a trailing `_GOOS`, `_GOARCH` or `_GOOS_GOARCH` (before `_test` and the extension)
 * must match. `tags` answers for GOOS and GOARCH names (and their implications, such as
 * linux for android).
 */
export function fileNameMatches(fileName: string, tags: TagOracle): boolean {
  let name = fileName;
  const dot = name.indexOf('.');
  if (dot >= 0) name = name.slice(0, dot);
  const underscore = name.indexOf('_');
  if (underscore < 0) return true;
  const parts = name.slice(underscore).split('_');
  if (parts[parts.length - 1] === 'test') parts.pop();
  const n = parts.length;
  if (n >= 2 && KNOWN_OS.has(parts[n - 2]) && KNOWN_ARCH.has(parts[n - 1])) {
    return tags(parts[n - 2]) === true && tags(parts[n - 1]) === true;
  }
  if (n >= 1 && (KNOWN_OS.has(parts[n - 1]) || KNOWN_ARCH.has(parts[n - 1])))
    return tags(parts[n - 1]) === true;
  return true;
}
