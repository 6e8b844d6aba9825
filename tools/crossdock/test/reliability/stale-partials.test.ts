import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlatform } from '@crossdock/platform';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { compileForPlatform } from '../../src/go/compile/compile';
import { processRunner } from '../../src/support/process/runner';

const gate = toolGate('compile: stale partial binaries', ['go'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

describe.skipIf(!gate.ok && !gate.ci)('compileForPlatform after a killed compile', () => {
  let dir = '';
  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    dir = await mkdtemp(join(tmpdir(), 'crossdock-partials-'));
    await writeFile(join(dir, 'go.mod'), 'module example.com/partials\n\ngo 1.21\n');
    await writeFile(join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('removes the half-written binaries of killed compiles, keeps a running one, and writes the binary', async () => {
    const child = execa('true');
    const dead = child.pid ?? 0;
    await child;
    const out = join(dir, 'dist/bin/app/linux/amd64');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, `app.partial-${dead}`), 'half a binary');
    await writeFile(join(out, `app.partial-${process.ppid}`), 'a compile still running');
    await compileForPlatform(processRunner, {
      project: 'app',
      cwd: dir,
      output: join(out, 'app'),
      env: process.env,
      spec: {
        platform: parsePlatform('linux/amd64'),
        main: '.',
        version: '1.0.0',
        ldflags: [],
        buildTags: [],
        cgo: false,
      },
    });
    expect((await readdir(out)).sort()).toEqual(['app', `app.partial-${process.ppid}`]);
  });
});
