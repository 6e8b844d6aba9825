/**
 * The import paths of a Go source file, read from its import declarations with the
 * same lexical rules the compiler uses for the file head: comments are skipped, single
 * imports and parenthesised groups, optional names (`_`, `.`, aliases), raw or
 * interpreted string literals.
 */
export function parseGoImports(source: string): string[] {
  const head = stripComments(source);
  const imports: string[] = [];
  const decl = /\bimport\s*(\(([\s\S]*?)\)|(?:[A-Za-z_.][A-Za-z0-9_]*\s+)?("[^"\n]*"|`[^`]*`))/g;
  for (const match of head.matchAll(decl)) {
    if (match[2] !== undefined) {
      for (const spec of match[2].matchAll(/(?:[A-Za-z_.][A-Za-z0-9_]*\s+)?("[^"\n]*"|`[^`]*`)/g))
        imports.push(unquote(spec[1]));
    } else if (match[3] !== undefined) {
      imports.push(unquote(match[3]));
    }
  }
  return imports;
}

function unquote(literal: string): string {
  return literal.slice(1, -1);
}

/** Removes comments but keeps string literals intact, and stops at the first func/type/var/const declaration. */
function stripComments(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 1;
      out += ' ';
    } else if (c === '"' || c === '`') {
      const end = c === '"' ? findStringEnd(source, i) : source.indexOf('`', i + 1);
      const stop = end < 0 ? source.length - 1 : end;
      out += source.slice(i, stop + 1);
      i = stop;
    } else {
      out += c;
      if (c === '\n' && /^(func|type|var|const)\b/.test(source.slice(i + 1, i + 7))) break;
    }
  }
  return out;
}

function findStringEnd(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === '"' || source[i] === '\n') return i;
  }
  return -1;
}
