// crossdock against ko where developers live: the same app, platforms, base and ldflags,
// cold, after a one-line edit of a shared library, and with nothing changed; crossdock with
// the Nx daemon off (what CI has) and on (what a developer has).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePlatform, platformSlug } from '@crossdock/platform';
import { goBuildArgs, goBuildEnv, type GoBuildSpec } from '../../crossdock/src/go/compile/go-build';
import { batchConcurrency, coresPerTask } from '../../crossdock/src/nx/batch-executor';
import type { Runner } from '../../crossdock/src/support/process/runner';
import { createBenchWorkspace } from './bench-workspace';
import { pushOneFileBase } from './ko-base';
import { medianProfile, profileOf, type Profile } from './nx-profile';
import type { Sample } from './stats';
import { interleaved, timeCommand, timeParallel, type Log } from './timing';

/** The ko release compared, installed from the Go module proxy. */
export const KO_VERSION = 'v0.19.1';
/** Where the bench keeps ko (one `go install` per machine). */
export const KO_BIN_DIR = '/var/cache/crossdock/bin';

/** The rows of the comparison. */
export const KO_ROWS = ['cold', 'edit', 'unchanged'] as const;
export type KoRow = (typeof KO_ROWS)[number];

/**
 * The columns: ko, crossdock without the Nx daemon, crossdock with it, and the floor both
 * tools stand on: the six `go build`s alone, as crossdock runs them (same arguments and
 * environment, two at a time), with nothing around them.
 */
export interface KoRowResult {
  readonly ko: Sample;
  readonly crossdock: Sample;
  readonly crossdockDaemon: Sample;
  readonly goBuild: Sample;
  /** Edit row only: Nx by itself, a no-op task after the same edit (start, graph, one task). */
  readonly nxAlone?: Sample;
}

/** Where the time of crossdock's edit and unchanged runs goes, with the daemon off and on (medians). */
export interface KoProfile {
  readonly runs: number;
  readonly daemonOff: Readonly<Record<'edit' | 'unchanged', Profile>>;
  readonly daemonOn: Readonly<Record<'edit' | 'unchanged', Profile>>;
}

export interface KoResult {
  readonly app: string;
  readonly platforms: readonly string[];
  readonly base: string;
  readonly koVersion: string;
  readonly ldflags: readonly string[];
  readonly library: string;
  readonly rows: Partial<Record<KoRow, KoRowResult>>;
  readonly profile?: KoProfile;
}

/** How many interleaved runs each row gets. */
export interface KoRuns {
  /** The cold row: each run takes a minute and more. */
  readonly cold: number;
  /** The edit and unchanged rows: each run takes seconds, and their ratios move by a few points from one run to the next. */
  readonly quick: number;
}

export interface KoOptions {
  readonly runs: KoRuns;
  readonly rows: readonly KoRow[];
  readonly registry: string;
  /** A warm Go build cache (the host's) that every column shares when the cold row is not run. */
  readonly warmGoCache: string;
  /** Profiled runs of crossdock per row and daemon mode after the timed ones (0: none). */
  readonly profileRuns: number;
  readonly log: Log;
}

/**
 * Edits the shared library with a line that changes every binary, as a developer's edit
 * does (a comment would leave Go's output identical): a response header whose value is new
 * on each call.
 */
export function libraryEditor(file: string): () => void {
  const original = readFileSync(file, 'utf8');
  const anchor = '\tw.Header().Set("Content-Type", "application/json")\n';
  if (!original.includes(anchor))
    throw new Error(`${file}: the line the edit goes after is gone: ${anchor.trim()}`);
  let edits = 0;
  return () => {
    edits += 1;
    writeFileSync(
      file,
      original.replace(anchor, `${anchor}\tw.Header().Set("X-Bench-Edit", "${edits}")\n`),
    );
  };
}

const APP = 'hello';
const NX_ALONE_TARGET = 'bench-nx-alone';
const LIBRARY_FILE = 'libs/go/httpx/json.go';
const VERSION = '1.0.0';
const LDFLAGS = [
  '-s',
  '-w',
  `-X github.com/crossdock/crossdock/libs/go/buildinfo.Version=${VERSION}`,
];

/** ko at KO_VERSION: the cached binary, or `go install` into KO_BIN_DIR. */
export async function ensureKo(runner: Runner, log: Log): Promise<string> {
  const ko = join(KO_BIN_DIR, 'ko');
  if (existsSync(ko)) {
    const version = await runner.run(ko, ['version'], { allowFailure: true });
    if (version.exitCode === 0 && version.stdout.trim() === KO_VERSION) return ko;
  }
  log(`installing ko ${KO_VERSION} from the Go module proxy into ${KO_BIN_DIR}`);
  await runner.run('go', ['install', `github.com/google/ko@${KO_VERSION}`], {
    env: { GOBIN: KO_BIN_DIR, GOFLAGS: '' },
    timeoutMs: 20 * 60_000,
  });
  return ko;
}

/** Runs the rows, each column interleaved with the others run by run. */
export async function runKo(runner: Runner, options: KoOptions): Promise<KoResult> {
  const { log } = options;
  const ko = await ensureKo(runner, log);
  // crossdock as a user has it: the published package installed, as ko is `go install`ed.
  const ws = await createBenchWorkspace(runner, { installedPlugin: true });
  // crossdock's own cache folder (the builtin engine's deflate pieces), emptied with GOCACHE
  // for each cold run: a first run on a new machine has neither.
  const crossdockCache = join(tmpdir(), `crossdock-bench-cache-${process.pid}`);
  const plainEnv = { CROSSDOCK_CACHE: crossdockCache };
  const daemonEnv = { NX_DAEMON: 'true', CROSSDOCK_CACHE: crossdockCache };
  // Each column's GOCACHE: its own empty one per cold run, then the last of those; without the
  // cold row, the warm one for all (every edit is new content, so no column gains by sharing).
  const caches = {
    ko: options.warmGoCache,
    crossdock: options.warmGoCache,
    crossdockDaemon: options.warmGoCache,
    goBuild: options.warmGoCache,
  };
  // A cold run's new GOCACHE replaces the column's last one, which goes (each holds the
  // standard library for every platform: kept, --runs=7 filled this machine's disk).
  const renewGoCache = (column: keyof typeof caches): string => {
    if (caches[column] !== options.warmGoCache)
      rmSync(caches[column], { recursive: true, force: true });
    caches[column] = ws.newGoCache();
    return caches[column];
  };
  const stopDaemon = () => ws.nx(['daemon', '--stop'], caches.crossdockDaemon, daemonEnv);
  try {
    const platforms = ws.platforms(APP);
    const base = await pushOneFileBase(
      options.registry,
      'crossdock-bench/one-file-base',
      platforms,
    );
    log(`base ${base} for ${platforms.join(', ')}`);
    ws.setImageOptions(APP, { base, version: VERSION, ldflags: LDFLAGS });
    // Nx by itself: start-up, the project graph after the edit, one task that does nothing.
    ws.setTarget(APP, NX_ALONE_TARGET, { executor: 'nx:noop', cache: false });
    writeFileSync(
      join(ws.root, '.ko.yaml'),
      [
        `defaultBaseImage: ${base}`,
        'builds:',
        `  - id: ${APP}`,
        `    main: ./apps/${APP}`,
        '    flags: [-trimpath, -buildvcs=false]',
        `    ldflags: [${LDFLAGS.map((flag) => JSON.stringify(flag)).join(', ')}]`,
        '',
      ].join('\n'),
    );
    // ko checks the layout path as it would a repository name: lower case only.
    const koLayout = join(tmpdir(), `crossdock-bench-ko-layout-${process.pid}`);
    const koBuild = (goCache: string) => {
      rmSync(koLayout, { recursive: true, force: true });
      return timeCommand(runner, {
        command: ko,
        args: [
          'build',
          `./apps/${APP}`,
          `--platform=${platforms.join(',')}`,
          '--push=false',
          `--oci-layout-path=${koLayout}`,
          '--bare',
        ],
        options: {
          cwd: ws.root,
          env: {
            GOCACHE: goCache,
            KO_DOCKER_REPO: `${options.registry}/crossdock-bench/ko-${APP}`,
          },
          timeoutMs: 60 * 60_000,
        },
      });
    };
    const floorDir = join(tmpdir(), `crossdock-bench-go-build-${process.pid}`);
    const goBuilds = (goCache: string) =>
      timeParallel(
        runner,
        platforms.map((platform) => {
          const spec: GoBuildSpec = {
            platform: parsePlatform(platform),
            main: '.',
            output: join(floorDir, platformSlug(parsePlatform(platform)), APP),
            version: VERSION,
            ldflags: LDFLAGS,
            buildTags: [],
            cgo: false,
            // The cores crossdock's batch gives each build while the others run or wait.
            cores: coresPerTask(1, platforms.length - 1, batchConcurrency()),
          };
          return {
            command: 'go',
            args: goBuildArgs(spec),
            options: {
              cwd: join(ws.root, 'apps', APP),
              env: goBuildEnv(spec, { ...process.env, GOCACHE: goCache }),
              extendEnv: false,
              timeoutMs: 60 * 60_000,
            },
          };
        }),
        // As many at once as crossdock's batch runs.
        batchConcurrency(),
      );
    const nxImage = ['run', `${APP}:image`];
    const rows: Partial<Record<KoRow, KoRowResult>> = {};
    const edit = libraryEditor(join(ws.root, LIBRARY_FILE));

    if (options.rows.includes('cold')) {
      rows.cold = await interleaved(
        options.runs.cold,
        {
          ko: async () => koBuild(renewGoCache('ko')),
          crossdock: async () => {
            ws.clearOutputs({ graph: true });
            rmSync(crossdockCache, { recursive: true, force: true });
            return ws.nx(nxImage, renewGoCache('crossdock'), plainEnv);
          },
          crossdockDaemon: async () => {
            await stopDaemon();
            ws.clearOutputs({ graph: true });
            rmSync(crossdockCache, { recursive: true, force: true });
            return ws.nx(nxImage, renewGoCache('crossdockDaemon'), daemonEnv);
          },
          goBuild: async () => {
            rmSync(floorDir, { recursive: true, force: true });
            return goBuilds(renewGoCache('goBuild'));
          },
        },
        log,
        'ko cold',
      );
    } else {
      log('warming each column once (untimed)');
      await koBuild(caches.ko);
      await ws.nx(nxImage, caches.crossdock, plainEnv);
      await ws.nx(nxImage, caches.crossdockDaemon, daemonEnv);
      await goBuilds(caches.goBuild);
    }
    if (options.rows.includes('edit')) {
      rows.edit = await interleaved(
        options.runs.quick,
        {
          ko: async () => (edit(), koBuild(caches.ko)),
          crossdock: async () => (edit(), ws.nx(nxImage, caches.crossdock, plainEnv)),
          crossdockDaemon: async () => (edit(), ws.nx(nxImage, caches.crossdockDaemon, daemonEnv)),
          goBuild: async () => (edit(), goBuilds(caches.goBuild)),
          nxAlone: async () => (
            edit(),
            ws.nx(['run', `${APP}:${NX_ALONE_TARGET}`], caches.goBuild)
          ),
        },
        log,
        'ko edit',
      );
    }
    if (options.rows.includes('unchanged')) {
      // Every column builds the last edit once, so that nothing is left to do.
      await koBuild(caches.ko);
      await ws.nx(nxImage, caches.crossdock, plainEnv);
      await ws.nx(nxImage, caches.crossdockDaemon, daemonEnv);
      await goBuilds(caches.goBuild);
      rows.unchanged = await interleaved(
        options.runs.quick,
        {
          ko: () => koBuild(caches.ko),
          crossdock: () => ws.nx(nxImage, caches.crossdock, plainEnv),
          crossdockDaemon: () => ws.nx(nxImage, caches.crossdockDaemon, daemonEnv),
          // go finds each binary up to date (its build ID matches) and links nothing.
          goBuild: () => goBuilds(caches.goBuild),
        },
        log,
        'ko unchanged',
      );
    }
    // Untimed by the table: the same runs again with Nx's measures dumped, to say where the
    // time goes (the dump itself costs a few milliseconds).
    let profile: KoProfile | undefined;
    if (options.profileRuns > 0) {
      const profiled = async (env: Readonly<Record<string, string>>, cache: string) => {
        const runs = { edit: [] as Profile[], unchanged: [] as Profile[] };
        for (let run = 0; run < options.profileRuns; run += 1) {
          edit();
          const edited = await ws.nxProfiled(nxImage, cache, env);
          runs.edit.push(profileOf(edited.output, edited.ms));
          const again = await ws.nxProfiled(nxImage, cache, env);
          runs.unchanged.push(profileOf(again.output, again.ms));
        }
        log(`profiled ${options.profileRuns} edit and unchanged run(s) (${JSON.stringify(env)})`);
        return { edit: medianProfile(runs.edit), unchanged: medianProfile(runs.unchanged) };
      };
      profile = {
        runs: options.profileRuns,
        daemonOff: await profiled(plainEnv, caches.crossdock),
        daemonOn: await profiled(daemonEnv, caches.crossdockDaemon),
      };
    }
    return {
      app: APP,
      platforms,
      base,
      koVersion: KO_VERSION,
      ldflags: LDFLAGS,
      library: LIBRARY_FILE,
      rows,
      ...(profile ? { profile } : {}),
    };
  } finally {
    await stopDaemon().catch(() => undefined);
    for (const dir of [
      `crossdock-bench-ko-layout-${process.pid}`,
      `crossdock-bench-go-build-${process.pid}`,
      `crossdock-bench-cache-${process.pid}`,
    ])
      rmSync(join(tmpdir(), dir), { recursive: true, force: true });
    ws.remove();
  }
}
