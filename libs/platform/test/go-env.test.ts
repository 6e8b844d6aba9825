import { expect, it } from 'vitest';
import { execa } from 'execa';
import { GO_ISA_VARIABLES, goEnv } from '../src/go';
import { parsePlatform } from '../src/parse';
import { describeWithTool, findGo, isolatedGoEnv } from './tools';

const go = findGo();

// Cross-checks goEnv against the real Go toolchain. `go env` only echoes what it is given,
// so Go's reading of the values is checked too: `go list` reports the build context, whose
// tool tags carry the instruction-set level Go actually compiles for (amd64.v3, arm.7, …).
// Go does NOT refuse a bad level (GOARM=8 or GOAMD64=v5 build silently for another level),
// which is why parsePlatform must.
describeWithTool('goEnv against the Go toolchain', go, 'the Go toolchain (go)', () => {
  it.each([
    'linux/amd64',
    'linux/amd64/v3',
    'linux/arm64',
    'linux/arm/v5',
    'linux/arm/v7',
    'linux/386',
    'linux/ppc64le',
    'linux/s390x',
    'linux/riscv64',
    'linux/mips64le',
    'linux/loong64',
  ])('Go accepts goEnv(%s) and reads it as meant', async (input) => {
    const env = goEnv(parsePlatform(input));
    const names = ['GOOS', 'GOARCH', 'GOARM', 'GOAMD64', 'CGO_ENABLED'];
    for (const name of Object.keys(env)) if (!names.includes(name)) names.push(name);

    const echoed = await execa(go!, ['env', ...names], { env: isolatedGoEnv(env), reject: false });
    expect(echoed.exitCode, echoed.stderr).toBe(0);
    expect(echoed.stdout.split('\n')).toEqual(names.map((name) => env[name] ?? ''));

    const format =
      '{{context.GOOS}}/{{context.GOARCH}} cgo={{context.CgoEnabled}} {{join context.ToolTags ","}}';
    const listed = await execa(go!, ['list', '-f', format, 'runtime'], {
      env: isolatedGoEnv(env),
      reject: false,
    });
    expect(listed.exitCode, listed.stderr).toBe(0);
    const [target, cgo, tags] = listed.stdout.trim().split(' ') as [string, string, string];
    expect(target).toBe(`${env['GOOS']}/${env['GOARCH']}`);
    expect(cgo).toBe('cgo=false');
    const isa = GO_ISA_VARIABLES[env['GOARCH']!];
    if (isa !== undefined) expect(tags.split(',')).toContain(`${env['GOARCH']}.${env[isa.name]}`);
  });
});
