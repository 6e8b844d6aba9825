import { pullScopes } from './blobs';
import { Connection } from './connection';
import { RegistryError } from './errors';
import { readAtMost } from './http';

const TAG_PAGE_LIMIT = 8 * 1024 * 1024;
const MAX_PAGES = 1000;

/**
 * Every tag of a repository (`GET /v2/<name>/tags/list`), following `Link: <...>; rel="next"`
 * pages. `pageSize` asks the registry for pages of that many tags (`?n=`).
 */
export async function listTags(
  conn: Connection,
  repository: string,
  pageSize?: number,
): Promise<readonly string[]> {
  const tags: string[] = [];
  let target: string | undefined =
    `/v2/${repository}/tags/list${pageSize !== undefined ? `?n=${pageSize}` : ''}`;
  for (let page = 0; target !== undefined; page++) {
    if (page >= MAX_PAGES) throw protocol(conn, repository, `more than ${MAX_PAGES} pages of tags`);
    const current: string = target;
    const { names, next } = await conn.retrying(`GET tags of ${repository}`, async () => {
      const response = await conn.send(
        { kind: 'tags-list', method: 'GET', target: current, expect: [200] },
        pullScopes(repository),
      );
      const bytes = await readAtMost(response, TAG_PAGE_LIMIT);
      if (bytes === undefined)
        throw protocol(conn, repository, `a page of tags is larger than ${TAG_PAGE_LIMIT} bytes`);
      return {
        names: parseTagList(Buffer.from(bytes).toString('utf8')),
        next: nextLink(response.headers.get('link')),
      };
    });
    if (names === undefined)
      throw protocol(conn, repository, 'the tag list is not {"name","tags":[...]}');
    tags.push(...names);
    target = next;
  }
  return tags;
}

/** The tags of a tag-list body, or undefined when it is not one. `"tags": null` is no tags. Pure. */
export function parseTagList(text: string): readonly string[] | undefined {
  try {
    const parsed = JSON.parse(text) as { tags?: unknown };
    if (parsed.tags === null || parsed.tags === undefined) return [];
    return Array.isArray(parsed.tags) && parsed.tags.every((t) => typeof t === 'string')
      ? (parsed.tags as string[])
      : undefined;
  } catch {
    return undefined;
  }
}

/** The target of a `Link: <url>; rel="next"` header, or undefined. Pure. */
export function nextLink(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (match !== null && /rel="?next"?/.test(match[2] ?? '')) return match[1];
  }
  return undefined;
}

function protocol(conn: Connection, repository: string, why: string): RegistryError {
  const path = `/v2/${repository}/tags/list`;
  return new RegistryError({
    code: 'PROTOCOL',
    registry: conn.endpoint.registry,
    method: 'GET',
    path,
    message: `GET ${conn.endpoint.registry}${path}: ${why}`,
  });
}
