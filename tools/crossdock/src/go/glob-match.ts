/**
 * Matches a slash-separated relative path against a closure glob: Go's path.Match syntax
 * (`*` and `?` within one path element, `[...]` classes with `^` negation, `\` escapes),
 * where a trailing `/**` also matches everything below. The same globs go to Nx as inputs.
 */
export function globMatches(pattern: string, path: string): boolean {
  return globRegExp(pattern).test(path);
}

const cache = new Map<string, RegExp>();

function globRegExp(pattern: string): RegExp {
  let regexp = cache.get(pattern);
  if (regexp !== undefined) return regexp;
  const deep = pattern.endsWith('/**');
  const body = deep ? pattern.slice(0, -3) : pattern;
  let source = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '\\' && i + 1 < body.length) source += escape(body[++i]);
    else if (c === '[') {
      const end = body.indexOf(']', i + 2);
      if (end < 0) source += '\\[';
      else {
        source += `[${body.slice(i + 1, end).replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += escape(c);
  }
  regexp = new RegExp(`^${source}${deep ? '/.+' : ''}$`);
  cache.set(pattern, regexp);
  return regexp;
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
