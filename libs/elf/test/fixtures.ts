import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { withDirLock } from './dir-lock';
import { GARBAGE_NAMES, garbageFiles, type GarbageName } from './garbage';
import { findProgram } from '../../test-support/src/find-program';
import { runTool } from './tools';

/** Bump when the set of fixtures or how they are built changes, so old caches are ignored. */
const FIXTURE_SCHEMA = 1;

/** One Go cross-compilation target: always linux, CGO_ENABLED=0, -trimpath. */
export interface GoTarget {
  readonly name: string;
  readonly goarch: string;
  readonly goarm?: string;
}

/** Every Go target built as a fixture: the platforms crossdock ships, plus 32-bit big-endian and LoongArch. */
export const GO_TARGETS = [
  { name: 'go-linux-amd64', goarch: 'amd64' },
  { name: 'go-linux-arm64', goarch: 'arm64' },
  { name: 'go-linux-arm-v7', goarch: 'arm', goarm: '7' },
  { name: 'go-linux-arm-v5', goarch: 'arm', goarm: '5' },
  { name: 'go-linux-ppc64le', goarch: 'ppc64le' },
  { name: 'go-linux-ppc64', goarch: 'ppc64' },
  { name: 'go-linux-s390x', goarch: 's390x' },
  { name: 'go-linux-riscv64', goarch: 'riscv64' },
  { name: 'go-linux-386', goarch: '386' },
  { name: 'go-linux-mips', goarch: 'mips' },
  { name: 'go-linux-loong64', goarch: 'loong64' },
] as const satisfies readonly GoTarget[];

/** The host C builds: the same program linked four ways by gcc. */
export const C_VARIANTS = [
  { name: 'c-dynamic-pie', flags: ['-fPIE', '-pie'] },
  { name: 'c-dynamic-nopie', flags: ['-fno-PIE', '-no-pie'] },
  { name: 'c-static', flags: ['-static'] },
  { name: 'c-static-pie', flags: ['-fPIE', '-static-pie'] },
] as const;

/** The name of any fixture file. */
export type FixtureName =
  (typeof GO_TARGETS)[number]['name'] | (typeof C_VARIANTS)[number]['name'] | GarbageName;

/** A built (or cached) fixture set. */
export interface ElfFixtures {
  /** The cache directory holding this set, keyed by Go and gcc versions. */
  readonly dir: string;
  readonly goVersion: string;
  readonly gccVersion: string;
  /** The absolute path of one fixture. */
  path(name: FixtureName): string;
}

/** The programs used to build fixtures; located on PATH (and /usr/local/go/bin) when not given. */
export interface ElfFixtureOptions {
  readonly go?: string;
  readonly gcc?: string;
  /** How many compilers run at once (default 2). */
  readonly concurrency?: number;
}

const GO_MAIN = 'package main\n\nfunc main() { println("hello from crossdock") }\n';
const GO_MOD = 'module crossdock.test/elfhello\n\ngo 1.21\n';
const C_MAIN =
  '#include <stdio.h>\n\nint main(void) {\n  puts("hello from crossdock");\n  return 0;\n}\n';

/** The child environment: nothing from the parent but what locates caches, so no GO* setting leaks in. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { GOTOOLCHAIN: 'local', GOENV: 'off', GOFLAGS: '' };
  for (const key of ['PATH', 'HOME', 'XDG_CACHE_HOME', 'GOCACHE', 'TMPDIR']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Runs `jobs` with at most `limit` in flight. */
async function runLimited(jobs: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next];
      next += 1;
      await job();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker));
}

function fixtureSet(dir: string, goVersion: string, gccVersion: string): ElfFixtures {
  return { dir, goVersion, gccVersion, path: (name) => join(dir, name) };
}

async function buildInto(
  work: string,
  go: string,
  gcc: string,
  concurrency: number,
): Promise<void> {
  const src = join(work, 'src');
  await mkdir(src, { recursive: true });
  await writeFile(join(src, 'main.go'), GO_MAIN);
  await writeFile(join(src, 'go.mod'), GO_MOD);
  await writeFile(join(src, 'hello.c'), C_MAIN);
  const env = baseEnv();
  const goJobs = GO_TARGETS.map((target: GoTarget) => async () => {
    const targetEnv = {
      ...env,
      GOOS: 'linux',
      GOARCH: target.goarch,
      CGO_ENABLED: '0',
      ...(target.goarm ? { GOARM: target.goarm } : {}),
    };
    await runTool(go, ['build', '-trimpath', '-o', join(work, target.name), '.'], {
      cwd: src,
      env: targetEnv,
    });
  });
  const cJobs = C_VARIANTS.map((variant) => async () => {
    await runTool(
      gcc,
      ['-O2', ...variant.flags, '-o', join(work, variant.name), join(src, 'hello.c')],
      { cwd: src, env },
    );
  });
  await runLimited([...goJobs, ...cJobs], concurrency);
  const garbage = garbageFiles(
    await readFile(join(work, 'go-linux-amd64')),
    await readFile(join(work, 'c-dynamic-pie')),
  );
  for (const name of GARBAGE_NAMES)
    await writeFile(join(work, name), garbage.get(name) ?? new Uint8Array(0));
  await rm(src, { recursive: true, force: true });
}

/**
 * Builds the ELF fixtures under `dir` (absolute): tiny static Go programs for every Go
 * target, gcc builds for the host (dynamic PIE and non-PIE, static, static-pie) and
 * malformed files derived from them. Cached in `dir/<go version>-gcc<version>-v<schema>`;
 * a complete set has a manifest.json, so a second call returns at once. One process
 * builds (a lock directory makes parallel test files wait) in a scratch directory renamed
 * into place, so an interrupted run leaves no half set.
 */
export async function buildElfFixtures(
  dir: string,
  options: ElfFixtureOptions = {},
): Promise<ElfFixtures> {
  if (!isAbsolute(dir))
    throw new Error(`buildElfFixtures needs an absolute directory, got "${dir}"`);
  const go = options.go ?? findProgram('go', { extraDirs: ['/usr/local/go/bin'] });
  const gcc = options.gcc ?? findProgram('gcc');
  if (go === undefined)
    throw new Error(
      'buildElfFixtures: go not found on PATH or in /usr/local/go/bin; install Go or pass options.go',
    );
  if (gcc === undefined)
    throw new Error(
      'buildElfFixtures: gcc not found on PATH; apt-get install gcc or pass options.gcc',
    );
  const goVersion = (await runTool(go, ['env', 'GOVERSION'], { env: baseEnv() })).trim();
  const gccVersion = (await runTool(gcc, ['-dumpfullversion'])).trim();
  const target = join(dir, `${goVersion}-gcc${gccVersion}-v${FIXTURE_SCHEMA}`);
  const fixtures = fixtureSet(target, goVersion, gccVersion);
  const manifest = join(target, 'manifest.json');
  await mkdir(dir, { recursive: true });
  await withDirLock(
    `${target}.lock`,
    { done: () => exists(manifest), staleMs: 15 * 60_000 },
    async () => {
      const work = join(dir, `.building-${randomBytes(6).toString('hex')}`);
      try {
        await buildInto(work, go, gcc, options.concurrency ?? 2);
        const names = [
          ...GO_TARGETS.map((t) => t.name),
          ...C_VARIANTS.map((c) => c.name),
          ...GARBAGE_NAMES,
        ];
        const record = { goVersion, gccVersion, schema: FIXTURE_SCHEMA, files: names };
        await writeFile(join(work, 'manifest.json'), `${JSON.stringify(record, null, 2)}\n`);
        await rm(target, { recursive: true, force: true });
        await rename(work, target);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    },
  );
  return fixtures;
}
