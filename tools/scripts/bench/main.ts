// `npm run bench`: runs the benchmark scenarios, writes BENCHMARKS.md (only the sections
// between the bench markers) and the charts under docs/bench/. Run with
// `node -r @swc-node/register tools/scripts/bench/main.ts [--quick] [--runs=N] [--only=...]`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { processRunner } from '../../crossdock/src/support/process/runner';
import { REPO_ROOT } from '../testing/workspace-copy';
import { outputDir, parseBenchArgs, SCENARIOS, type BenchArgs, type Scenario } from './args';
import { chartsFor } from './charts';
import { koMain } from './ko';
import { readMachine } from './machine';
import { BENCH_MARKERS, replaceSection } from './markdown';
import { BENCHMARKS_TITLE, renderReport } from './report';
import type { BenchResults } from './results';
import { runEmulation } from './scenario-emulation';
import { runEngines } from './scenario-engines';
import { runSizes } from './scenario-sizes';
import { runWorkspace } from './scenario-workspace';
import { renderBarChart } from './svg-chart';
import { checkTargets, verdict } from './targets';
import type { Log } from './timing';

const CHART_DIR = 'docs/bench';

async function main(args: BenchArgs, log: Log): Promise<number> {
  const started = performance.now();
  const runner = processRunner;
  const registry = process.env['CROSSDOCK_REGISTRY'] ?? '127.0.0.1:5000';
  const busybox = `${registry}/busybox:latest`;
  const machine = await readMachine(runner, REPO_ROOT);
  const hostGoCache = (await runner.run('go', ['env', 'GOCACHE'])).stdout.trim();
  log(
    `${machine.cores} cores, ${machine.goVersion}, ${args.runs} run(s), scenarios: ${args.only.join(', ')}`,
  );

  const errors: Record<string, string> = {};
  const attempt = async <T>(scenario: Scenario, body: () => Promise<T>): Promise<T | undefined> => {
    if (!args.only.includes(scenario)) return undefined;
    log(`== ${scenario}`);
    try {
      return await body();
    } catch (error) {
      const message = (error as Error).message;
      errors[scenario] = message.split('\n').slice(0, 8).join(' ').slice(0, 600);
      log(`${scenario} failed: ${message}`);
      return undefined;
    }
  };

  const emulation = await attempt('emulation', () =>
    runEmulation(runner, {
      runs: args.runs,
      platforms: args.platforms,
      goVersion: machine.goVersion,
      hostGoroot: machine.goroot,
      baseImage: busybox,
      registry,
      log,
    }),
  );
  const engines = await attempt('engines', () =>
    runEngines(runner, {
      runs: args.runs,
      projects: args.quick ? ['hello'] : ['hello', 'relay'],
      goCache: hostGoCache,
      log,
    }),
  );
  const workspace = await attempt('workspace', () =>
    runWorkspace(runner, {
      runs: args.runs,
      projects: ['hello', 'relay'],
      library: 'libs/go/httpx',
      libraryFile: 'libs/go/httpx/json.go',
      parallel: 3,
      log,
    }),
  );
  const sizes = await attempt('sizes', () =>
    runSizes(runner, {
      projects: ['hello', 'relay'],
      busyboxProject: 'relay',
      busyboxBase: busybox,
      goCache: hostGoCache,
      log,
    }),
  );

  const results: BenchResults = {
    machine: { ...machine, loadAtEnd: loadavg()[0] },
    runs: args.runs,
    quick: args.quick,
    scenarios: args.only,
    emulation,
    engines,
    workspace,
    sizes,
    errors,
    totalMs: performance.now() - started,
  };
  mkdirSync(join(REPO_ROOT, 'tmp/bench'), { recursive: true });
  writeFileSync(
    join(REPO_ROOT, 'tmp/bench', `results-${results.machine.date.replaceAll(':', '')}.json`),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  write(results, args.out, log);
  return Object.keys(errors).length === 0 ? 0 : 1;
}

/** `--render`: the outputs of an earlier run again, from its results JSON (after a change to the report's format). */
function render(file: string, out: string | undefined, log: Log): number {
  const results = JSON.parse(readFileSync(resolve(REPO_ROOT, file), 'utf8')) as BenchResults;
  write(results, out, log);
  return 0;
}

/** Writes the charts and BENCHMARKS.md (bench sections only), and logs the targets. */
function write(results: BenchResults, outOption: string | undefined, log: Log): void {
  const complete =
    !results.quick && SCENARIOS.every((scenario) => results.scenarios?.includes(scenario) ?? true);
  const out = resolve(REPO_ROOT, outputDir(outOption, complete));
  const charts = chartsFor(results);
  mkdirSync(join(out, CHART_DIR), { recursive: true });
  for (const chart of charts)
    writeFileSync(join(out, CHART_DIR, chart.file), renderBarChart(chart.chart));
  const file = join(out, 'BENCHMARKS.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const body = renderReport(results, charts, CHART_DIR);
  writeFileSync(
    file,
    replaceSection(previous, BENCH_MARKERS, body, {
      title: BENCHMARKS_TITLE,
      insertBefore: [/^<!-- scale/, /^## Scale/],
    }),
  );
  log(`wrote ${file} and ${charts.map((chart) => join(out, CHART_DIR, chart.file)).join(', ')}`);
  for (const check of checkTargets(results))
    log(`target: ${check.target}: ${check.measured}: ${verdict(check)}`);
}

/** `--only=ko` is the ko comparison (tools/scripts/bench/ko.ts): its own rows, runs and section. */
function isKoRun(argv: readonly string[]): boolean {
  return argv.includes('--only=ko');
}

if (isKoRun(process.argv.slice(2))) {
  koMain(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`bench ko: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
} else
  try {
    const args = parseBenchArgs(process.argv.slice(2));
    const log: Log = (line) =>
      process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
    (args.render !== undefined
      ? Promise.resolve(render(args.render, args.out, log))
      : main(args, log)
    ).then(
      (code) => process.exit(code),
      (error: unknown) => {
        process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
        process.exit(1);
      },
    );
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
