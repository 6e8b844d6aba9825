/**
 * Turns the figures the reliability suites write (tmp/reliability/<suite>.json, from
 * tools/crossdock/test/reliability/*.test.ts) into RELIABILITY.md at the repository root.
 *
 *   npx vitest run tools/crossdock/test/reliability
 *   node -r @swc-node/register tools/scripts/reliability-report.ts
 *
 * Exits non-zero when a suite is missing, a case failed, or any data was lost.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CaseFigure, SuiteFigures } from '../crossdock/test/reliability/support/figures';
import { corpusSection } from './corpus/corpus-score';

/** The suites, in the order RELIABILITY.md lists them (file name without .json). */
const SUITES = [
  'bad-input',
  'registry-faults',
  'interruptions',
  'concurrency',
  'security',
] as const;

interface Totals {
  cases: number;
  faults: number;
  runs: number;
  cleanFailures: number;
  unexpected: number;
  dataLost: number;
}

const ROOT = resolve(__dirname, '../..');

function main(): number {
  const dir = join(ROOT, 'tmp', 'reliability');
  const suites = SUITES.map((name) => ({ name, figures: readSuite(join(dir, `${name}.json`)) }));
  const missing = suites.filter((s) => s.figures === undefined).map((s) => s.name);
  const present = suites.flatMap((s) => (s.figures ? [s.figures] : []));
  const all = totalsOf(present.flatMap((s) => s.cases));
  // The adoption corpus section (tools/scripts/corpus/adopt-corpus.ts) is carried over as it is.
  const path = join(ROOT, 'RELIABILITY.md');
  const corpus = existsSync(path) ? corpusSection(readFileSync(path, 'utf8')) : undefined;
  const report = render(present, all, missing);
  writeFileSync(path, corpus ? `${report.trimEnd()}\n\n${corpus}\n` : report);
  const ok = missing.length === 0 && all.unexpected === 0 && all.dataLost === 0;
  process.stdout.write(
    `RELIABILITY.md: ${all.cases} cases, ${all.faults} faults injected, ${all.runs} runs, ${all.cleanFailures} clean failures, ` +
      `${all.unexpected} unexpected failures, ${all.dataLost} data lost${missing.length ? `; missing suites: ${missing.join(', ')}` : ''}\n`,
  );
  return ok ? 0 : 1;
}

function readSuite(path: string): SuiteFigures | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as SuiteFigures) : undefined;
}

function totalsOf(cases: readonly CaseFigure[]): Totals {
  return cases.reduce<Totals>(
    (t, c) => ({
      cases: t.cases + 1,
      faults: t.faults + c.faults,
      runs: t.runs + c.runs,
      cleanFailures: t.cleanFailures + c.cleanFailures,
      unexpected: t.unexpected + (c.outcome === 'failed' ? 1 : 0),
      dataLost: t.dataLost + c.dataLost,
    }),
    { cases: 0, faults: 0, runs: 0, cleanFailures: 0, unexpected: 0, dataLost: 0 },
  );
}

function render(suites: readonly SuiteFigures[], all: Totals, missing: readonly string[]): string {
  const row = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  const totalsRow = (label: string, t: Totals, seconds: string) =>
    row([
      label,
      t.cases,
      t.faults,
      t.runs,
      t.cleanFailures,
      t.unexpected,
      `**${t.dataLost}**`,
      seconds,
    ]);
  const lines = [
    '# Reliability',
    '',
    'What crossdock does under bad input, registry faults, interruptions and concurrency, and what it',
    'keeps secret, measured by the suites in `tools/crossdock/test/reliability/` against real components',
    '(Nx in a workspace copy, Go, docker-registry with htpasswd and token auth, a fault-injecting proxy,',
    'skopeo as an independent reader, dockerd). Regenerate with:',
    '',
    '```',
    'npx vitest run tools/crossdock/test/reliability',
    'node -r @swc-node/register tools/scripts/reliability-report.ts',
    '```',
    '',
    'A **case** is one scenario; **runs** counts nx invocations and executor or library calls;',
    '**faults** counts injected faults (proxy faults, signals, corrupted files); a **clean failure** is a',
    'run that failed as required (non-zero exit, a clear first error line, nothing half-written);',
    '**unexpected** counts cases whose assertions did not hold; **data lost** counts layouts, tags,',
    'cache entries or secrets found broken or exposed. Data lost must be zero.',
    '',
    row([
      'suite',
      'cases',
      'faults injected',
      'runs',
      'clean failures',
      'unexpected',
      'data lost',
      'time',
    ]),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...suites.map((s) =>
      totalsRow(s.title, totalsOf(s.cases), `${Math.round(s.durationMs / 1000)} s`),
    ),
    totalsRow(
      '**total**',
      all,
      `${Math.round(suites.reduce((sum, s) => sum + s.durationMs, 0) / 1000)} s`,
    ),
    '',
  ];
  if (missing.length > 0)
    lines.push(`Not run: ${missing.join(', ')} (no figures in tmp/reliability/).`, '');
  for (const suite of suites) {
    lines.push(`## ${suite.title}`, '');
    if (suite.seed !== undefined)
      lines.push(
        `Seed ${suite.seed} (replay with \`CROSSDOCK_RELIABILITY_SEED=${suite.seed}\`).`,
        '',
      );
    for (const note of suite.notes) lines.push(`- ${note}`);
    if (suite.notes.length > 0) lines.push('');
    lines.push(
      row(['case', 'runs', 'faults', 'result', 'detail']),
      row(['---', '---:', '---:', '---', '---']),
    );
    for (const c of suite.cases) {
      const result =
        c.outcome === 'failed' ? '**FAILED**' : c.cleanFailures > 0 ? 'clean failure' : 'ok';
      lines.push(
        row([
          escape(c.name),
          c.runs,
          c.faults,
          c.dataLost > 0 ? `${result}, **${c.dataLost} lost**` : result,
          escape(c.detail ?? ''),
        ]),
      );
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Keeps a table cell on one line and its pipes literal. */
function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

process.exitCode = main();
