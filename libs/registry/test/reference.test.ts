import { describe, expect, it } from 'vitest';
import {
  formatReference,
  ImageReference,
  InvalidReferenceError,
  manifestReference,
  parseReference,
} from '../src';

const HEX = 'a'.repeat(64);
const DIGEST = `sha256:${HEX}`;

describe('parseReference', () => {
  it.each<[string, ImageReference]>([
    [
      '127.0.0.1:5000/team/hello:v1',
      { registry: '127.0.0.1:5000', repository: 'team/hello', tag: 'v1' },
    ],
    [
      '127.0.0.1:5000/team/hello',
      { registry: '127.0.0.1:5000', repository: 'team/hello', tag: 'latest' },
    ],
    [
      `127.0.0.1:5000/team/hello@${DIGEST}`,
      { registry: '127.0.0.1:5000', repository: 'team/hello', digest: DIGEST },
    ],
    [
      `127.0.0.1:5000/team/hello:v1@${DIGEST}`,
      { registry: '127.0.0.1:5000', repository: 'team/hello', tag: 'v1', digest: DIGEST },
    ],
    ['hello', { registry: 'docker.io', repository: 'library/hello', tag: 'latest' }],
    ['hello:1.0', { registry: 'docker.io', repository: 'library/hello', tag: '1.0' }],
    ['team/hello', { registry: 'docker.io', repository: 'team/hello', tag: 'latest' }],
    ['docker.io/hello', { registry: 'docker.io', repository: 'library/hello', tag: 'latest' }],
    [
      'index.docker.io/team/hello',
      { registry: 'docker.io', repository: 'team/hello', tag: 'latest' },
    ],
    ['localhost/hello', { registry: 'localhost', repository: 'hello', tag: 'latest' }],
    ['localhost:5000/a/b/c', { registry: 'localhost:5000', repository: 'a/b/c', tag: 'latest' }],
    ['[::1]:5000/hello:v2', { registry: '[::1]:5000', repository: 'hello', tag: 'v2' }],
    [
      'ghcr.io/org/my_app.v2__x-y:tag_1.0-rc',
      { registry: 'ghcr.io', repository: 'org/my_app.v2__x-y', tag: 'tag_1.0-rc' },
    ],
    ['reg.example.com/a---b', { registry: 'reg.example.com', repository: 'a---b', tag: 'latest' }],
    [
      `hello:${'t'.repeat(128)}`,
      { registry: 'docker.io', repository: 'library/hello', tag: 't'.repeat(128) },
    ],
  ])('parses %s', (input, expected) => {
    expect(parseReference(input)).toEqual(expected);
  });

  it.each<[string, string, RegExp]>([
    ['', 'reference', /empty/],
    [' hello', 'reference', /white space/],
    ['Hello', 'repository', /"Hello" must match \[a-z0-9\]/],
    ['127.0.0.1:5000/Team/hello', 'repository', /component "Team"/],
    ['127.0.0.1:5000/team//hello', 'repository', /component ""/],
    ['127.0.0.1:5000/team/hello-', 'repository', /component "hello-"/],
    ['127.0.0.1:5000/team/_hello', 'repository', /component "_hello"/],
    ['127.0.0.1:5000/a___b', 'repository', /component "a___b"/],
    ['127.0.0.1:5000/', 'repository', /empty/],
    ['hello:.bad', 'tag', /tag "\.bad" must match/],
    ['hello:-bad', 'tag', /tag "-bad"/],
    [`hello:${'t'.repeat(129)}`, 'tag', /at most 128/],
    ['hello@sha256:abc', 'digest', /sha256:<64 lowercase hex>/],
    [`hello@sha512:${'a'.repeat(128)}`, 'digest', /unsupported algorithm/],
    [`hello@sha256:${'A'.repeat(64)}`, 'digest', /unsupported algorithm or upper-case/],
    ['reg_istry.io:5000/hello', 'registry', /host component "reg_istry"/],
    ['registry.io:port/hello', 'registry', /numeric port/],
    ['[::1/hello', 'registry', /never closes/],
    [`r.io/${'a'.repeat(256)}`, 'repository', /longer than 255/],
  ])('rejects %j (invalid %s)', (input, part, message) => {
    let error: unknown;
    try {
      parseReference(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidReferenceError);
    expect(error).toMatchObject({ part, input });
    expect((error as Error).message).toContain(`invalid image reference ${JSON.stringify(input)}`);
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    '127.0.0.1:5000/team/hello:v1',
    `127.0.0.1:5000/team/hello@${DIGEST}`,
    `ghcr.io/a/b:c@${DIGEST}`,
    'docker.io/library/hello:latest',
  ])('round-trips %s', (input) => {
    expect(formatReference(parseReference(input))).toBe(input);
    expect(parseReference(formatReference(parseReference(input)))).toEqual(parseReference(input));
  });

  it('prefers the digest as the manifest reference', () => {
    expect(manifestReference(parseReference(`r.io/a:v1@${DIGEST}`))).toBe(DIGEST);
    expect(manifestReference(parseReference('r.io/a:v1'))).toBe('v1');
  });
});
