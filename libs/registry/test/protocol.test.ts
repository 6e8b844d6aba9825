import { describe, expect, it } from 'vitest';
import { parseTokenResponse } from '../src/auth';
import { parseWwwAuthenticate } from '../src/challenge';
import { redact } from '../src/redact';
import { codeForStatus, isRetryableStatus, parseErrorBody } from '../src/errors';
import { referrerOf, referrersTag } from '../src/referrers';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, RetryPolicy } from '../src/retry';
import { nextLink, parseTagList } from '../src/tags';

describe('parseWwwAuthenticate', () => {
  it.each([
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:samalba/my-app:pull,push',
          },
        },
      ],
    ],
    ['Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
    ['basic realm=simple', [{ scheme: 'basic', params: { realm: 'simple' } }]],
    [
      'Bearer realm="http://127.0.0.1:1/token",error="insufficient_scope",scope="repository:a:pull repository:b:pull"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'http://127.0.0.1:1/token',
            error: 'insufficient_scope',
            scope: 'repository:a:pull repository:b:pull',
          },
        },
      ],
    ],
    [
      'Bearer realm="a \\"quoted\\" realm"',
      [{ scheme: 'bearer', params: { realm: 'a "quoted" realm' } }],
    ],
    [
      'Basic realm="x", Bearer realm="https://t/token", service="s"',
      [
        { scheme: 'basic', params: { realm: 'x' } },
        { scheme: 'bearer', params: { realm: 'https://t/token', service: 's' } },
      ],
    ],
    ['', []],
  ])('parses %j', (header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });
});

describe('retry timing', () => {
  const policy: RetryPolicy = {
    maxAttempts: 5,
    initialDelayMs: 100,
    maxDelayMs: 1000,
    maxElapsedMs: 10_000,
    factor: 2,
  };
  it.each([
    // attempt, Retry-After, random, expected
    [1, undefined, 0, 50],
    [1, undefined, 0.999, 100],
    [2, undefined, 0.5, 150],
    [3, undefined, 0, 200],
    [5, undefined, 0.999, 1000], // capped at maxDelayMs
    [1, 700, 0, 700], // Retry-After longer than the backoff wins
    [3, 10, 0.999, 400], // ...but never shortens it
    [1, 5000, 0, 1000], // and is capped too
  ])(
    'attempt %i, Retry-After %s ms, random %s → %i ms',
    (attempt, retryAfter, random, expected) => {
      expect(backoffDelay(policy, attempt, retryAfter, random)).toBe(expected);
    },
  );

  const now = Date.parse('2024-05-01T12:00:00Z');
  it.each([
    ['1', 1000],
    [' 30 ', 30_000],
    ['Wed, 01 May 2024 12:00:05 GMT', 5000],
    ['Wed, 01 May 2024 11:59:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ])('reads Retry-After %j as %s ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it('has defaults that bound attempts and time', () => {
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThan(1);
    expect(DEFAULT_RETRY_POLICY.maxElapsedMs).toBeGreaterThan(DEFAULT_RETRY_POLICY.maxDelayMs);
  });
});

describe('error bodies and statuses', () => {
  it.each([
    [
      '{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry","detail":"sha256:x"}]}',
      [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry', detail: 'sha256:x' }],
    ],
    [
      '{"errors":[{"code":"DENIED"},{"message":"m"}]}',
      [
        { code: 'DENIED', message: '' },
        { code: 'UNKNOWN', message: 'm' },
      ],
    ],
    ['<html>502 Bad Gateway</html>', []],
    ['{"errors":"nope"}', []],
    ['', []],
  ])('parses %j', (body, expected) => {
    expect(parseErrorBody(body)).toEqual(expected);
  });

  it.each([
    [401, 'UNAUTHORIZED', false],
    [403, 'DENIED', false],
    [404, 'NOT_FOUND', false],
    [400, 'UNKNOWN', false],
    [429, 'TOOMANYREQUESTS', true],
    [500, 'UNKNOWN', true],
    [503, 'UNAVAILABLE', true],
  ])('status %i → %s, retryable %s', (status, code, retryable) => {
    expect(codeForStatus(status)).toBe(code);
    expect(isRetryableStatus(status)).toBe(retryable);
  });
});

describe('token responses', () => {
  it.each([
    ['{"token":"t1","expires_in":300}', { token: 't1', expiresIn: 300 }],
    ['{"access_token":"t2"}', { token: 't2' }],
    ['{"token":"","access_token":"t3","expires_in":-1}', { token: 't3' }],
    ['{"expires_in":60}', undefined],
    ['not json', undefined],
  ])('parses %j', (text, expected) => {
    expect(parseTokenResponse(text)).toEqual(expected);
  });
});

describe('tag lists', () => {
  it.each([
    ['{"name":"a","tags":["v1","v2"]}', ['v1', 'v2']],
    ['{"name":"a","tags":null}', []],
    ['{"name":"a","tags":[1]}', undefined],
    ['oops', undefined],
  ])('parses %j', (text, expected) => {
    expect(parseTagList(text)).toEqual(expected);
  });

  it.each([
    ['</v2/a/tags/list?n=2&last=v2>; rel="next"', '/v2/a/tags/list?n=2&last=v2'],
    ['<https://r/v2/a/tags/list?last=b>; rel=next', 'https://r/v2/a/tags/list?last=b'],
    ['</x>; rel="prev"', undefined],
    [null, undefined],
  ])('follows Link %j', (header, expected) => {
    expect(nextLink(header)).toBe(expected);
  });
});

describe('referrers', () => {
  const subject = `sha256:${'b'.repeat(64)}`;
  it('names the fallback tag after the subject digest', () => {
    expect(referrersTag(subject)).toBe(`sha256-${'b'.repeat(64)}`);
  });

  it.each([
    [
      {
        artifactType: 'application/spdx+json',
        subject: { digest: subject },
        annotations: { a: 'b' },
      },
      { subject, artifactType: 'application/spdx+json', annotations: { a: 'b' } },
    ],
    [
      { config: { mediaType: 'application/vnd.example.sig' }, subject: { digest: subject } },
      { subject, artifactType: 'application/vnd.example.sig' },
    ],
    [{ config: { mediaType: 'x' } }, undefined],
  ])('derives the referrer descriptor of %j', (manifest, expected) => {
    const bytes = Buffer.from(JSON.stringify(manifest));
    const found = referrerOf(bytes, 'application/vnd.oci.image.manifest.v1+json', 'sha256:d');
    if (expected === undefined) return expect(found).toBeUndefined();
    const { subject: s, ...rest } = expected;
    expect(found).toEqual({
      subject: s,
      descriptor: {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: 'sha256:d',
        size: bytes.byteLength,
        ...rest,
      },
    });
  });
});

describe('redact', () => {
  it.each([
    ['token abcd1234 in text abcd1234', ['abcd1234'], 'token *** in text ***'],
    ['short x stays', ['x'], 'short x stays'],
    ['two secrets: s3cr3t and t0k3n', ['s3cr3t', 't0k3n'], 'two secrets: *** and ***'],
  ])('redacts %j', (text, secrets, expected) => {
    expect(redact(text, secrets)).toBe(expected);
  });
});
