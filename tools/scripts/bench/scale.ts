// The scale benchmark of issue #6: workspaces of 10, 50 and 200 Go apps, timing the project
// graph, a fully cached run-many and an affected run. Writes the "## Scale" section of
// BENCHMARKS.md (between the scale markers; other sections are left alone).
// Run: node -r @swc-node/register tools/scripts/bench/scale.ts [--sizes=10,50,200] [--runs=3]
//      [--platform=linux/amd64] [--parallel=N] [--no-write] [--keep]
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { processRunner } from '../../crossdock/src/support/process/runner';
import { REPO_ROOT } from '../testing/workspace-copy';
import { clearRunSummary, readRunSummary } from '../testing/nx-run-summary';
import { readMachine } from './machine';
import { replaceSection } from './markdown';
import { BENCHMARKS_TITLE } from './report';
import { createScaleWorkspace, SHARED_LIBRARIES, TOUCHED_LIBRARY } from './scale-workspace';
import { renderScaleSection, SCALE_MARKERS, type ScaleRow } from './scale-report';
import { medianTiming, timeWithCpu, type CpuTiming } from './scale-timing';
import { parseScaleArgs, type ScaleArgs } from './scale-args';

const log = (line: string) =>
  process.stderr.write(`[scale ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const show = (t: CpuTiming) =>
  `${t.wallSeconds.toFixed(1)} s${t.cpuSeconds === undefined ? '' : ` (cpu ${t.cpuSeconds.toFixed(1)} s)`}`;

/** Measures one size; the workspace is deleted afterwards unless --keep. */
async function measure(apps: number, args: ScaleArgs): Promise<ScaleRow> {
  log(`${apps} apps: generating the workspace`);
  const { ws, appsOnTouchedLibrary } = await createScaleWorkspace(apps, args.platform);
  const env = {
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NX_SKIP_NX_CACHE: undefined,
    CI: 'true',
  };
  const nx = (nxArgs: readonly string[]) =>
    timeWithCpu(
      processRunner,
      'node',
      [join(ws.root, 'node_modules/nx/dist/bin/nx.js'), ...nxArgs],
      {
        cwd: ws.root,
        env,
      },
    );
  const parallel = `--parallel=${args.parallel}`;
  try {
    const graphCold = await medianTiming(args.runs, async () => {
      rmSync(join(ws.root, '.nx/workspace-data'), { recursive: true, force: true });
      return nx(['show', 'projects', '--json']);
    });
    log(`${apps} apps: project graph cold ${show(graphCold)}`);
    const graphWarm = await medianTiming(args.runs, () => nx(['show', 'projects', '--json']));
    const projects = (
      JSON.parse(
        (
          await processRunner.run(
            'node',
            [join(ws.root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects', '--json'],
            { cwd: ws.root, env },
          )
        ).stdout,
      ) as string[]
    ).length;

    const coldBuild = await nx(['run-many', '-t', 'image', parallel, '--outputStyle=static']);
    log(`${apps} apps: first build ${show(coldBuild)}`);
    const cachedBuild = await medianTiming(args.runs, async () => {
      clearRunSummary(ws.root);
      const timing = await nx(['run-many', '-t', 'image', parallel, '--outputStyle=static']);
      const missed = readRunSummary(ws.root).misses.filter((id) => !id.endsWith(':compile'));
      if (missed.length > 0)
        throw new Error(`the second run-many missed the cache for ${missed.join(', ')}`);
      return timing;
    });
    log(`${apps} apps: all cached ${show(cachedBuild)}`);

    const library = join(ws.root, TOUCHED_LIBRARY);
    const original = readFileSync(library, 'utf8');
    writeFileSync(library, original.replace('= "lib0"', `= "lib0 edited ${Date.now()}"`));
    clearRunSummary(ws.root);
    const affectedBuild = await nx([
      'affected',
      '-t',
      'image',
      '--base=HEAD',
      parallel,
      '--outputStyle=static',
    ]);
    writeFileSync(library, original);
    const rebuilt = readRunSummary(ws.root).misses.filter((id) => id.endsWith(':image'));
    if (rebuilt.length !== appsOnTouchedLibrary)
      throw new Error(
        `the affected run rebuilt ${rebuilt.length} images, expected the ${appsOnTouchedLibrary} apps importing ${TOUCHED_LIBRARY}`,
      );
    log(`${apps} apps: affected (${rebuilt.length} apps) ${show(affectedBuild)}`);
    return {
      apps,
      projects,
      graphCold,
      graphWarm,
      coldBuild,
      cachedBuild,
      affectedApps: rebuilt.length,
      affectedBuild,
    };
  } finally {
    if (args.keep) log(`kept ${ws.root}`);
    else ws.remove();
  }
}

async function main(args: ScaleArgs): Promise<void> {
  const started = performance.now();
  const machine = await readMachine(processRunner, REPO_ROOT);
  const rows: ScaleRow[] = [];
  for (const apps of args.sizes) rows.push(await measure(apps, args));
  const section = renderScaleSection(rows, {
    platform: args.platform,
    parallel: args.parallel,
    runs: args.runs,
    sharedLibraries: SHARED_LIBRARIES,
    machine: { ...machine, loadAtEnd: loadavg()[0] },
    totalSeconds: (performance.now() - started) / 1000,
  });
  process.stdout.write(`${section}\n`);
  if (args.write) {
    const file = join(REPO_ROOT, 'BENCHMARKS.md');
    const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
    writeFileSync(
      file,
      replaceSection(previous, SCALE_MARKERS, section, { title: BENCHMARKS_TITLE }),
    );
    log(`wrote the Scale section of ${file}`);
  }
}

try {
  main(parseScaleArgs(process.argv.slice(2), availableParallelism())).catch((error: unknown) => {
    process.stderr.write(`scale: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
