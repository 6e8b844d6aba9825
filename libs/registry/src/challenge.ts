/** One authentication challenge of a WWW-Authenticate header. */
export interface AuthChallenge {
  /** The scheme, lower-cased: `bearer`, `basic`, ... */
  readonly scheme: string;
  /** Parameters with lower-cased names: realm, service, scope, error, ... */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Parses a WWW-Authenticate header (RFC 7235) into its challenges, e.g.
 * `Bearer realm="https://auth/token",service="registry",scope="repository:a:pull"`.
 * Quoted strings may hold commas and escaped quotes. Unreadable input yields what was
 * read so far. Pure.
 */
export function parseWwwAuthenticate(header: string): readonly AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let current: { scheme: string; params: Record<string, string> } | undefined;
  let i = 0;
  const skip = (pattern: RegExp): void => {
    while (i < header.length && pattern.test(header.charAt(i))) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < header.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(header.charAt(i))) i++;
    return header.slice(start, i);
  };
  while (i < header.length) {
    skip(/[\s,]/);
    const name = token();
    if (name === '') break;
    skip(/\s/);
    if (header.charAt(i) === '=' && current !== undefined) {
      i++;
      skip(/\s/);
      current.params[name.toLowerCase()] = header.charAt(i) === '"' ? quoted() : bare();
    } else {
      current = { scheme: name.toLowerCase(), params: {} };
      challenges.push(current);
    }
  }
  return challenges;

  function bare(): string {
    const start = i;
    while (i < header.length && !/[\s,]/.test(header.charAt(i))) i++;
    return header.slice(start, i);
  }

  function quoted(): string {
    let value = '';
    i++; // opening quote
    while (i < header.length && header.charAt(i) !== '"') {
      if (header.charAt(i) === '\\') i++;
      value += header.charAt(i);
      i++;
    }
    i++; // closing quote
    return value;
  }
}

/** A scope string for a repository: `repository:<name>:<actions>`. Pure. */
export function repositoryScope(
  repository: string,
  actions: 'pull' | 'pull,push' | 'delete',
): string {
  return `repository:${repository}:${actions}`;
}
