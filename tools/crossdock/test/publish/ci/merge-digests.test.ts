import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlatform } from '@crossdock/platform';
import {
  checkCellDigests,
  DigestSetError,
  readCellDigests,
  type CellDigest,
} from '../../../src/publish/merge/digest-records';
import { sharedAnnotations } from '../../../src/publish/merge/merge-index';

const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const cell = (file: string, platform: string, overrides: Partial<CellDigest> = {}): CellDigest => ({
  file,
  project: 'hello',
  repository: 'hello',
  platform: parsePlatform(platform),
  digest: digest(file.length),
  ...overrides,
});
const platforms = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'].map(parsePlatform);

function problems(cells: CellDigest[]): string[] {
  try {
    checkCellDigests('hello', 'hello', platforms, cells);
  } catch (error) {
    expect(error).toBeInstanceOf(DigestSetError);
    return [...(error as DigestSetError).problems];
  }
  return [];
}

describe('checkCellDigests', () => {
  it("returns the cells in the project's platform order", () => {
    const cells = [
      cell('linux-arm-v7.json', 'linux/arm/v7'),
      cell('linux-amd64.json', 'linux/amd64'),
      cell('linux-arm64.json', 'arm64'),
    ];
    expect(checkCellDigests('hello', 'hello', platforms, cells).map((c) => c.file)).toEqual([
      'linux-amd64.json',
      'linux-arm64.json',
      'linux-arm-v7.json',
    ]);
  });

  it('lists missing, duplicate and foreign digests together', () => {
    expect(
      problems([
        cell('linux-amd64.json', 'linux/amd64'),
        cell('linux-amd64-again.json', 'linux/amd64'),
        cell('relay-linux-arm64.json', 'linux/arm64', { project: 'relay' }),
        cell('linux-s390x.json', 'linux/s390x'),
      ]),
    ).toEqual([
      'relay-linux-arm64.json belongs to project "relay", not "hello"',
      'duplicate digests for linux/amd64: linux-amd64.json, linux-amd64-again.json',
      "linux-s390x.json: linux/s390x is not one of hello's platforms (linux/amd64, linux/arm64, linux/arm/v7)",
      "missing digests for linux/arm64, linux/arm/v7 (each platform's cell must push and upload its digest file)",
    ]);
  });

  it('refuses a digest pushed to another repository', () => {
    expect(
      problems([
        cell('a.json', 'linux/amd64', { repository: 'other' }),
        cell('b.json', 'linux/arm64'),
        cell('c.json', 'linux/arm/v7'),
      ]),
    ).toEqual(['a.json was pushed to repository "other", not "hello"']);
  });
});

describe('readCellDigests', () => {
  it('reads records and names the malformed ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossdock-digests-'));
    writeFileSync(
      join(dir, 'linux-amd64.json'),
      JSON.stringify({
        project: 'hello',
        repository: 'hello',
        platform: 'linux/amd64',
        digest: digest(1),
      }),
    );
    expect((await readCellDigests('hello', dir)).map((c) => c.file)).toEqual(['linux-amd64.json']);
    writeFileSync(join(dir, 'broken.json'), '{"project": "hello"');
    writeFileSync(
      join(dir, 'nodigest.json'),
      JSON.stringify({
        project: 'hello',
        repository: 'hello',
        platform: 'linux/arm64',
        digest: 'latest',
      }),
    );
    await expect(readCellDigests('hello', dir)).rejects.toThrow(
      /broken.json is not a digest record[\s\S]*nodigest.json is not a digest record: needs project, repository, platform and a sha256 digest/,
    );
    await expect(readCellDigests('hello', join(dir, 'absent'))).rejects.toThrow(/does not exist/);
  });
});

describe('sharedAnnotations', () => {
  it('keeps what every child says alike', () => {
    expect(
      sharedAnnotations([
        { a: '1', b: '2', c: '3' },
        { a: '1', b: 'x' },
      ]),
    ).toEqual({ a: '1' });
    expect(sharedAnnotations([])).toEqual({});
  });
});
