import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../src/support/files/write-atomically';

describe('writeFileAtomically (records under dist/)', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crossdock-write-atomically-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('removes the temporary files of killed writers and keeps those of running ones', async () => {
    const child = execa('true');
    const dead = child.pid ?? 0;
    await child;
    const path = join(dir, 'record.json');
    await writeFile(`${path}.tmp-${dead}`, 'half');
    await writeFile(`${path}.tmp-${dead}-0badc0de`, 'half');
    await writeFile(`${path}.tmp-${process.pid}-12345678`, 'a running writer');
    await writeFileAtomically(path, '{"done":true}\n');
    expect(await readFile(path, 'utf8')).toBe('{"done":true}\n');
    expect((await readdir(dir)).sort()).toEqual([
      'record.json',
      `record.json.tmp-${process.pid}-12345678`,
    ]);
    await rm(`${path}.tmp-${process.pid}-12345678`);
  });

  it('lets concurrent writers in one process each write whole content', async () => {
    const path = join(dir, 'shared.json');
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => writeFileAtomically(path, `writer ${i}\n`.repeat(1000))),
    );
    const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
    expect(lines).toHaveLength(1000);
    expect(new Set(lines).size).toBe(1); // one writer's content, not a mix
    expect((await readdir(dir)).filter((name) => name.startsWith('shared.json'))).toEqual([
      'shared.json',
    ]);
  });
});
