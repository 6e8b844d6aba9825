import { createHash, timingSafeEqual } from 'node:crypto';

/** What a request's bearer token allows. */
export type Access = 'none' | 'read' | 'write';

/** The two tokens of the cache server: read-write and read-only (either may be absent). */
export interface CacheTokens {
  readonly readWrite?: string;
  readonly readOnly?: string;
}

/**
 * Checks an Authorization header against the tokens in constant time: 'write' for the
 * read-write token, 'read' for the read-only one, 'none' otherwise (no header, another
 * scheme, an unknown token).
 */
export function accessOf(tokens: CacheTokens, authorization: string | undefined): Access {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return 'none';
  const given = digest(match[1]);
  if (tokens.readWrite && timingSafeEqual(given, digest(tokens.readWrite))) return 'write';
  if (tokens.readOnly && timingSafeEqual(given, digest(tokens.readOnly))) return 'read';
  return 'none';
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
