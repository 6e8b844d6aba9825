import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processRunner } from '../../src/support/process/runner';
import { isNetworkUrl, ORIGIN_URL_COMMAND, originUrl } from '../../src/support/workspace/git';

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

describe('the origin URL runtime input', () => {
  const repo = mkdtempSync(join(tmpdir(), 'crossdock-origin-'));
  execFileSync('git', ['init', '-q', repo]);
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  // The image's source label and its cache input must agree on every kind of remote.
  it.each([
    [
      'https://user:token@github.com/crossdock/crossdock.git',
      'https://github.com/crossdock/crossdock.git',
    ],
    ['git@github.com:crossdock/crossdock.git', 'git@github.com:crossdock/crossdock.git'],
    ['/tmp/crossdock-e2e-abc', ''],
    ['file:///srv/git/repo.git', ''],
    [undefined, ''],
  ])('origin %j: the shell command prints %j, what the executor labels', async (url, printed) => {
    // Exits 5 when there is none to unset.
    spawnSync('git', ['-C', repo, 'config', '--unset-all', 'remote.origin.url']);
    if (url !== undefined) execFileSync('git', ['-C', repo, 'config', 'remote.origin.url', url]);
    const input = execFileSync('sh', ['-c', ORIGIN_URL_COMMAND], { cwd: repo, encoding: 'utf8' });
    expect(input.trim()).toBe(printed);
    expect((await originUrl(processRunner, repo)) ?? '').toBe(printed);
  });
});
