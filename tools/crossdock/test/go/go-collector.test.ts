import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlatform } from '@crossdock/platform';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { compileForPlatform } from '../../src/go/compile/compile';
import { goBuildArgs, goBuildEnv, type GoBuildSpec } from '../../src/go/compile/go-build';
import { processRunner } from '../../src/support/process/runner';

const gate = toolGate('compile: garbage collector settings', ['go'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

// The compile sets GOGC and GOMEMLIMIT for speed (go-build.ts): both must be invisible in
// the result, or a binary would depend on an input Nx does not hash.
describe.skipIf(!gate.ok && !gate.ci)('the garbage collector the compile sets', () => {
  let dir = '';
  let env: Record<string, string | undefined> = {};
  const spec: Omit<GoBuildSpec, 'output'> = {
    platform: parsePlatform('linux/arm64'),
    main: '.',
    version: '1.0.0',
    ldflags: ['-s', '-w'],
    buildTags: [],
    cgo: false,
  };
  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    dir = await mkdtemp(join(tmpdir(), 'crossdock-gc-'));
    await writeFile(join(dir, 'go.mod'), 'module example.com/gc\n\ngo 1.21\n');
    await writeFile(
      join(dir, 'main.go'),
      'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() { fmt.Fprintln(os.Stdout, "gc") }\n',
    );
    // Its own build cache, so the first build below compiles every package with Go's default GOGC.
    env = { ...process.env, GOCACHE: join(dir, 'gocache'), GOGC: undefined, GOMEMLIMIT: undefined };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('changes no byte of the binary and no key of the Go build cache', async () => {
    const compile = (output: string, parentEnv: Record<string, string | undefined>) =>
      compileForPlatform(processRunner, {
        project: 'gc',
        cwd: dir,
        output: join(dir, output),
        env: parentEnv,
        spec,
      });
    await compile('default-gc', { ...env, GOGC: '100' });
    await compile('crossdock-gc', env);
    expect(await readFile(join(dir, 'crossdock-gc'))).toEqual(
      await readFile(join(dir, 'default-gc')),
    );
    // With crossdock's settings, go finds every package compiled under GOGC=100 in its cache: it only links.
    const args = goBuildArgs({ ...spec, output: join(dir, 'again') });
    const built = await execa('go', [args[0]!, '-x', ...args.slice(1)], {
      cwd: dir,
      env: goBuildEnv({ ...spec, output: '' }, env),
      extendEnv: false,
    });
    expect(goBuildEnv({ ...spec, output: '' }, env)['GOGC']).toBe('off');
    const tools = built.stderr.split('\n').filter((line) => /\/(compile|link) /.test(line));
    expect(tools.length, built.stderr).toBe(1);
    expect(tools[0]).toMatch(/\/link /);
  });
});
