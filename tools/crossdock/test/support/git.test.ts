import { describe, expect, it } from 'vitest';
import { isNetworkUrl } from '../../src/support/workspace/git';

describe('isNetworkUrl', () => {
  it.each([
    ['https://github.com/crossdock/crossdock.git', true],
    ['ssh://git@example.com/team/repo.git', true],
    ['git@github.com:crossdock/crossdock.git', true],
    ['/tmp/crossdock-e2e-abc', false],
    ['../sibling', false],
    ['file:///srv/git/repo.git', false],
    ['', false],
  ])('%j → %s', (url, expected) => {
    expect(isNetworkUrl(url)).toBe(expected);
  });
});
