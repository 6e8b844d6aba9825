import { totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parsePlatform } from '@crossdock/platform';
import {
  cBuildFor,
  CToolchainError,
  fillCompilerTemplate,
  type CToolchainOptions,
} from '../../../src/go/cgo/c-toolchain';
import {
  goBuildArgs,
  goBuildEnv,
  goCollectorEnv,
  goProcessorsEnv,
  usableMemory,
  type GoBuildSpec,
} from '../../../src/go/compile/go-build';
import { cToolchainInputs, C_TOOLCHAIN_COMMAND } from '../../../src/nx/nodes/c-toolchain-inputs';

const zig = { path: '/cache/zig-0.17.0/zig', version: '0.17.0', source: 'cache' } as const;
const defaults: CToolchainOptions = {
  cc: '',
  cxx: '',
  libc: 'musl',
  cgoCflags: [],
  cgoLdflags: [],
};

describe('cBuildFor', () => {
  it.each([
    ['linux/arm64', 'musl', '-target aarch64-linux-musl', "-extldflags '-static -s'"],
    [
      'linux/arm/v7',
      'musl',
      '-target arm-linux-musleabihf -mcpu=generic+v7a+vfp3d16-neon-d32',
      "-extldflags '-static -s'",
    ],
    ['linux/riscv64', 'glibc', '-target riscv64-linux-gnu', "-extldflags '-s'"],
  ] as const)('%s %s with zig: CC, CXX, caches and link flags', (platform, libc, target, extld) => {
    const c = cBuildFor(parsePlatform(platform), { ...defaults, libc }, zig, '/cache');
    expect(c.kind).toBe('zig');
    expect(c.env).toStrictEqual({
      CC: `/cache/zig-0.17.0/zig cc ${target}`,
      CXX: `/cache/zig-0.17.0/zig c++ ${target}`,
      ZIG_GLOBAL_CACHE_DIR: '/cache/zig-cache',
      ZIG_LOCAL_CACHE_DIR: '/cache/zig-cache',
    });
    expect(c.ldflags).toStrictEqual(['-linkmode=external', extld]);
  });

  it('fills a cc template and passes CGO flags from the options only', () => {
    const c = cBuildFor(
      parsePlatform('linux/arm64'),
      {
        cc: '{triple}-gcc',
        cxx: '{triple}-g++',
        libc: 'glibc',
        cgoCflags: ['-O2', '-DX=1'],
        cgoLdflags: ['-lm'],
      },
      undefined,
      '/cache',
    );
    expect(c.kind).toBe('cc');
    expect(c.env).toStrictEqual({
      CC: 'aarch64-linux-gnu-gcc',
      CXX: 'aarch64-linux-gnu-g++',
      CGO_CFLAGS: '-O2 -DX=1',
      CGO_CXXFLAGS: '-O2 -DX=1',
      CGO_LDFLAGS: '-lm',
    });
  });

  it('needs a zig when no cc is configured', () => {
    expect(() => cBuildFor(parsePlatform('linux/arm64'), defaults, undefined, '/cache')).toThrow(
      /no zig to compile C for linux\/arm64/,
    );
  });
});

describe('fillCompilerTemplate', () => {
  it.each([
    ['{triple}-gcc', 'linux/arm/v7', 'glibc', 'arm-linux-gnueabihf-gcc'],
    ['{triple}-gcc', 'linux/386', 'glibc', 'i686-linux-gnu-gcc'],
    [
      '/opt/x/{arch}{variant}/bin/cc --sysroot=/s/{os}',
      'linux/arm/v6',
      'musl',
      '/opt/x/armv6/bin/cc --sysroot=/s/linux',
    ],
  ] as const)('%s for %s %s → %s', (template, platform, libc, expected) => {
    expect(fillCompilerTemplate(template, parsePlatform(platform), libc)).toBe(expected);
  });

  it('refuses an unknown placeholder, naming it and the template', () => {
    expect(() => fillCompilerTemplate('{gnu}-gcc', parsePlatform('linux/arm64'), 'glibc')).toThrow(
      CToolchainError,
    );
    expect(() => fillCompilerTemplate('{gnu}-gcc', parsePlatform('linux/arm64'), 'glibc')).toThrow(
      /"\{gnu\}-gcc" has \{gnu\}/,
    );
  });
});

describe('go build with cgo', () => {
  const spec = (c?: ReturnType<typeof cBuildFor>, ldflags = ['-s', '-w']): GoBuildSpec => ({
    platform: parsePlatform('linux/arm64'),
    main: '.',
    output: 'out',
    version: '1.0.0',
    ldflags,
    buildTags: [],
    cgo: c !== undefined,
    ...(c ? { c } : {}),
  });
  const c = cBuildFor(parsePlatform('linux/arm64'), defaults, zig, '/cache');

  it('appends the link flags to the project ldflags', () => {
    expect(goBuildArgs(spec(c))).toContain(
      "-ldflags=-s -w -linkmode=external -extldflags '-static -s'",
    );
  });

  it('keeps a project that sets -extldflags or -linkmode itself', () => {
    expect(goBuildArgs(spec(c, ['-linkmode=external', '-extldflags=-static']))).toContain(
      '-ldflags=-linkmode=external -extldflags=-static',
    );
  });

  it('never takes CC, CXX or CGO_* flags from the caller environment', () => {
    const parent = {
      PATH: '/bin',
      CC: 'gcc',
      CXX: 'g++',
      CGO_CFLAGS: '-O0',
      CGO_LDFLAGS: '-lfoo',
      CGO_ENABLED: '1',
      ZIG_GLOBAL_CACHE_DIR: '/elsewhere',
    };
    const plain = goBuildEnv(spec(), parent);
    const collector = { GOGC: 'off', GOMEMLIMIT: expect.stringMatching(/^\d+MiB$/) };
    expect(plain).toStrictEqual({
      PATH: '/bin',
      ...collector,
      GOTOOLCHAIN: 'local',
      GOOS: 'linux',
      GOARCH: 'arm64',
      GOARM64: 'v8.0',
      CGO_ENABLED: '0',
    });
    const withC = goBuildEnv(spec(c), parent);
    expect(withC).toStrictEqual({
      PATH: '/bin',
      ...collector,
      GOTOOLCHAIN: 'local',
      GOOS: 'linux',
      GOARCH: 'arm64',
      GOARM64: 'v8.0',
      CGO_ENABLED: '1',
      ...c.env,
    });
  });

  it("collects only past each core's share of half the memory: at least 1 GiB, at most a quarter", () => {
    const GiB = 2 ** 30;
    // 24 GiB, 2 cores: 6 GiB per core; 7 GiB, 2 cores: 1.75 GiB.
    expect(goCollectorEnv({}, 24 * GiB, 2)).toStrictEqual({ GOGC: 'off', GOMEMLIMIT: '6144MiB' });
    expect(goCollectorEnv({}, 7 * GiB, 2)['GOMEMLIMIT']).toBe('1792MiB');
    // 64 GiB, 64 cores: 0.5 GiB per core, raised to 1 GiB; 2 GiB: a quarter; 512 MiB: 256 MiB.
    expect(goCollectorEnv({}, 64 * GiB, 64)['GOMEMLIMIT']).toBe('1024MiB');
    expect(goCollectorEnv({}, 2 * GiB, 1)['GOMEMLIMIT']).toBe('512MiB');
    expect(goCollectorEnv({}, 512 * 2 ** 20, 1)['GOMEMLIMIT']).toBe('256MiB');
    expect(usableMemory()).toBeLessThanOrEqual(totalmem());
    expect(usableMemory()).toBeGreaterThan(0);
  });

  it("sets GOMAXPROCS to the cores a build may use beside others, and keeps the caller's", () => {
    expect(goBuildEnv({ ...spec(), cores: 1 }, { PATH: '/bin' })['GOMAXPROCS']).toBe('1');
    expect(goBuildEnv({ ...spec(), cores: 3 }, { PATH: '/bin' })['GOMAXPROCS']).toBe('3');
    expect(goBuildEnv(spec(), { PATH: '/bin' })).not.toHaveProperty('GOMAXPROCS');
    expect(
      goBuildEnv({ ...spec(), cores: 1 }, { PATH: '/bin', GOMAXPROCS: '8' })['GOMAXPROCS'],
    ).toBe('8');
    expect(goProcessorsEnv({}, 0.5)).toStrictEqual({ GOMAXPROCS: '1' });
  });

  it('keeps the GOGC and GOMEMLIMIT the caller set, and adds neither to one of them', () => {
    const env = goBuildEnv(spec(), { PATH: '/bin', GOGC: '100', GOMEMLIMIT: '1GiB' });
    expect([env['GOGC'], env['GOMEMLIMIT']]).toStrictEqual(['100', '1GiB']);
    expect(goCollectorEnv({ GOMEMLIMIT: '3GiB' })).toStrictEqual({ GOMEMLIMIT: '3GiB' });
    expect(goCollectorEnv({ GOGC: '200' })).toStrictEqual({ GOGC: '200' });
  });
});

describe('cToolchainInputs', () => {
  const platform = parsePlatform('linux/arm/v7');
  it('adds nothing without cgo', () => {
    expect(cToolchainInputs({ cgo: false, cc: '', cxx: '', libc: 'musl' }, platform)).toStrictEqual(
      [],
    );
  });
  it('adds one platform-independent zig identity input with zig', () => {
    expect(cToolchainInputs({ cgo: true, cc: '', cxx: '', libc: 'musl' }, platform)).toStrictEqual([
      { runtime: C_TOOLCHAIN_COMMAND },
    ]);
  });
  it('adds the configured compilers of the platform, quoted for sh', () => {
    expect(
      cToolchainInputs(
        { cgo: true, cc: '{triple}-gcc', cxx: "my g++ 'x'", libc: 'glibc' },
        platform,
      ),
    ).toStrictEqual([
      {
        runtime: `${C_TOOLCHAIN_COMMAND} --platform linux/arm/v7 --libc glibc --cc '{triple}-gcc' --cxx 'my g++ '\\''x'\\'''`,
      },
    ]);
  });
});
