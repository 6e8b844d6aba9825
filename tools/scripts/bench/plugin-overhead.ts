// What the crossdock plugin adds to every nx command (issue #10): `nx show projects` in two
// copies of this workspace, one with the plugin registered and one without it, timed side by
// side (interleaved), cold (project graph cache deleted first) and warm. Writes the
// "Plugin overhead" section of BENCHMARKS.md.
// Run: node -r @swc-node/register tools/scripts/bench/plugin-overhead.ts [--runs=5] [--no-write]
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processRunner } from '../../crossdock/src/support/process/runner';
import { copyWorkspace, REPO_ROOT, type WorkspaceCopy } from '../testing/workspace-copy';
import { readMachine } from './machine';
import { renderTable, replaceSection } from './markdown';
import { BENCHMARKS_TITLE } from './report';
import { formatRatio, formatSeconds, ratio, type Sample } from './stats';
import { interleaved, timeCommand } from './timing';

const MARKERS = { begin: '<!-- plugin-overhead:begin -->', end: '<!-- plugin-overhead:end -->' };
const log = (line: string) => process.stderr.write(`[plugin-overhead] ${line}\n`);

/** The same workspace without crossdock: the plugin unregistered, the projects' crossdock target options gone. */
async function withoutPlugin(): Promise<WorkspaceCopy> {
  const ws = await copyWorkspace();
  const nxJson = JSON.parse(readFileSync(join(ws.root, 'nx.json'), 'utf8'));
  nxJson.plugins = (nxJson.plugins ?? []).filter(
    (p: string | { plugin: string }) => (typeof p === 'string' ? p : p.plugin) !== '@crossdock/nx',
  );
  writeFileSync(join(ws.root, 'nx.json'), JSON.stringify(nxJson, null, 2));
  for (const app of ['apps/hello', 'apps/relay']) {
    const file = join(ws.root, app, 'project.json');
    const { targets: _targets, ...project } = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify(project, null, 2));
  }
  return ws;
}

/** The workspace without crossdock but with an empty local plugin: what any Nx plugin costs (Nx runs each in its own worker process). */
async function withEmptyPlugin(): Promise<WorkspaceCopy> {
  const ws = await withoutPlugin();
  writeFileSync(
    join(ws.root, 'empty-plugin.js'),
    "exports.createNodes = ['**/no-such-file.none', () => []];\n",
  );
  const nxJson = JSON.parse(readFileSync(join(ws.root, 'nx.json'), 'utf8'));
  nxJson.plugins = [...(nxJson.plugins ?? []), './empty-plugin.js'];
  writeFileSync(join(ws.root, 'nx.json'), JSON.stringify(nxJson, null, 2));
  return ws;
}

async function main(): Promise<void> {
  const runs = Number(
    process.argv.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 5,
  );
  const [withPlugin, bare, empty] = await Promise.all([
    copyWorkspace(),
    withoutPlugin(),
    withEmptyPlugin(),
  ]);
  const env = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
  const show = (ws: WorkspaceCopy, cold: boolean) => async () => {
    if (cold) rmSync(join(ws.root, '.nx/workspace-data'), { recursive: true, force: true });
    return timeCommand(processRunner, {
      command: 'node',
      args: [join(ws.root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects', '--json'],
      options: { cwd: ws.root, env },
    });
  };
  try {
    const machine = await readMachine(processRunner, REPO_ROOT);
    const cold = await interleaved(
      runs,
      { with: show(withPlugin, true), empty: show(empty, true), without: show(bare, true) },
      log,
      'cold',
    );
    const warm = await interleaved(
      runs,
      { with: show(withPlugin, false), empty: show(empty, false), without: show(bare, false) },
      log,
      'warm',
    );
    const cell = (s: Sample) => `${formatSeconds(s.medianMs)} (min ${formatSeconds(s.minMs)})`;
    const row = (name: string, s: { with: Sample; empty: Sample; without: Sample }) => [
      name,
      cell(s.without),
      cell(s.empty),
      cell(s.with),
      `${formatSeconds(s.with.medianMs - s.empty.medianMs)}`,
      formatRatio(ratio(s.with, s.without)),
    ];
    const body = [
      '## Plugin overhead on every nx command',
      '',
      `Written by \`node -r @swc-node/register tools/scripts/bench/plugin-overhead.ts\` on ${new Date().toISOString().slice(0, 19)}Z: \`nx show projects --json\` (no daemon) in two copies of this workspace, with the crossdock plugin registered in nx.json, without it (and without the apps' crossdock options), and with an empty local plugin instead (what Nx charges for any plugin: it runs each non-core plugin in a worker process of its own), ${runs} runs each, interleaved. Cold: \`.nx/workspace-data\` deleted before each run, so createNodes and createDependencies see every file; warm: Nx's project graph cache kept. Machine: ${machine.cores} cores, ${machine.goVersion}, load average ${machine.loadAtStart.toFixed(1)} at the start.`,
      '',
      renderTable({
        header: [
          'nx show projects',
          'no plugin (median)',
          'an empty plugin',
          'crossdock',
          'crossdock − empty plugin',
          'crossdock / no plugin',
        ],
        rows: [row('cold', cold), row('warm', warm)],
        align: ['left', 'right', 'right', 'right', 'right', 'right'],
      }),
    ].join('\n');
    process.stdout.write(`${body}\n`);
    if (!process.argv.includes('--no-write')) {
      const path = join(REPO_ROOT, 'BENCHMARKS.md');
      const document = (() => {
        try {
          return readFileSync(path, 'utf8');
        } catch {
          return '';
        }
      })();
      writeFileSync(path, replaceSection(document, MARKERS, body, { title: BENCHMARKS_TITLE }));
    }
  } finally {
    withPlugin.remove();
    bare.remove();
    empty.remove();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
