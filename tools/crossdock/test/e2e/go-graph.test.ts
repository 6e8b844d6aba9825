import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { addTransitiveLibrary, editFile, MODULE, restoreAll } from './workspace-edits';

// The Go import edges as `nx graph` shows them, and how they survive Nx's incremental graph
// construction. A probe plugin (registered next to crossdock) records which files Nx hands
// to createDependencies as filesToProcess on every graph computation.

const gate = toolGate('Go project graph end to end', ['git'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

const PROBE = `const { appendFileSync } = require('node:fs');
exports.createDependencies = (options, context) => {
  const files = Object.values(context.filesToProcess.projectFileMap).flat().map((f) => f.file).filter((f) => f.endsWith('.go')).sort();
  appendFileSync(options.out, JSON.stringify(files) + '\\n');
  return [];
};
`;
const GO_PROJECTS = new Set([
  'hello',
  'relay',
  'go-buildinfo',
  'go-httpx',
  'go-textx',
  'go-extmod',
]);
const ALL_EDGES = [
  'go-httpx -> go-textx',
  'hello -> go-buildinfo',
  'hello -> go-httpx',
  'relay -> go-buildinfo',
];

describe.skipIf(!gate.ok && !gate.ci)('Go edges in the Nx project graph', () => {
  let ws: WorkspaceCopy;
  let probeLog = '';

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    ws = await copyWorkspace();
    probeLog = join(ws.root, 'tmp/probe.jsonl');
    mkdirSync(join(ws.root, 'tmp'), { recursive: true });
    addTransitiveLibrary(ws.root);
    editFile(ws.root, 'tools/graph-probe/index.js', () => PROBE);
    editFile(ws.root, 'nx.json', (t) => {
      const nxJson = JSON.parse(t);
      nxJson.plugins.push({ plugin: './tools/graph-probe/index.js', options: { out: probeLog } });
      return JSON.stringify(nxJson, null, 2);
    });
    // An import used only by a test must not become an edge.
    editFile(ws.root, 'apps/relay/main_test.go', (t) =>
      t.replace('import (', `import (\n\t_ "${MODULE}/libs/go/httpx"\n`),
    );
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-q', '-m', 'textx, graph probe, a test-only import']);
  });
  afterAll(async () => {
    if (ws) await ws.nx(['daemon', '--stop'], { NX_DAEMON: 'true' });
    ws?.remove();
  });

  /** Runs `nx graph --file` and returns the edges between Go projects, and the files Nx gave createDependencies. */
  async function graph(
    env: Record<string, string> = {},
  ): Promise<{ edges: string[]; processed: string[] }> {
    const run = await ws.nx(['graph', '--file=tmp/graph.json'], env);
    if (run.exitCode !== 0) throw new Error(`nx graph failed:\n${run.output}`);
    const { graph: g } = JSON.parse(readFileSync(join(ws.root, 'tmp/graph.json'), 'utf8'));
    const edges: string[] = [];
    for (const [source, deps] of Object.entries(
      g.dependencies as Record<string, { target: string }[]>,
    )) {
      if (GO_PROJECTS.has(source)) edges.push(...deps.map((d) => `${source} -> ${d.target}`));
    }
    const lines = readFileSync(probeLog, 'utf8').trim().split('\n');
    return { edges: edges.sort(), processed: JSON.parse(lines[lines.length - 1]) };
  }

  it('shows the edges of Go imports, none for a test-only import, without a Go toolchain on PATH', async () => {
    // Only node and git on PATH: graph construction never runs go.
    const bin = mkdtempSync(join(tmpdir(), 'crossdock-no-go-'));
    try {
      symlinkSync(process.execPath, join(bin, 'node'));
      symlinkSync((await execa('sh', ['-c', 'command -v git'])).stdout.trim(), join(bin, 'git'));
      const { edges, processed } = await graph({ PATH: bin });
      expect(edges).toEqual(ALL_EDGES);
      // nx.json changed (a plugin was added), so Nx recomputed the graph from every file.
      expect(processed).toEqual(
        expect.arrayContaining([
          'apps/hello/main.go',
          'apps/relay/serve.go',
          'libs/go/httpx/banner.go',
          'libs/go/buildinfo/variant.go',
        ]),
      );
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('without the daemon, re-reads only changed files, and keeps the edges of the others', async () => {
    expect((await graph()).processed).toEqual([]);
    const restore = editFile(ws.root, 'apps/relay/serve.go', (t) => `${t}\n// touched\n`);
    try {
      const { edges, processed } = await graph();
      expect(processed).toEqual(['apps/relay/serve.go']);
      // hello's files were not read again, yet its edges are all there (nx-go #140 lost them).
      expect(edges).toEqual(ALL_EDGES);
    } finally {
      restore();
    }
  });

  it('drops an edge when its import is removed, and brings it back when the import returns', async () => {
    const restore = editFile(ws.root, 'apps/hello/main.go', (t) =>
      t.replace(`\t"${MODULE}/libs/go/httpx"\n`, ''),
    );
    try {
      const { edges, processed } = await graph();
      // (The previous test's restored file is read again too: its hash changed back.)
      expect(processed.filter((f) => !f.startsWith('apps/relay/'))).toEqual(['apps/hello/main.go']);
      expect(edges).toEqual(ALL_EDGES.filter((e) => e !== 'hello -> go-httpx'));
      // An unrelated edit afterwards neither restores nor loses anything.
      const restoreLib = editFile(
        ws.root,
        'libs/go/buildinfo/variant.go',
        (t) => `${t}\n// touched\n`,
      );
      expect((await graph()).edges).toEqual(ALL_EDGES.filter((e) => e !== 'hello -> go-httpx'));
      restoreLib();
    } finally {
      restore();
    }
    expect((await graph()).edges).toEqual(ALL_EDGES);
  });

  it('with the daemon, is incremental too: unchanged files keep their edges, a removed import loses its edge', async () => {
    const daemon = { NX_DAEMON: 'true' };
    /** The graph once the daemon has seen the edit of `file` (its file watcher is asynchronous). */
    const graphAfterEdit = async (file: string) => {
      for (let attempt = 0; attempt < 10; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const result = await graph(daemon);
        if (result.processed.includes(file)) return result;
      }
      throw new Error(`the Nx daemon never re-read ${file}`);
    };
    const restores: (() => void)[] = [];
    try {
      expect((await graph(daemon)).edges).toEqual(ALL_EDGES);
      restores.push(editFile(ws.root, 'libs/go/httpx/json.go', (t) => `${t}\n// touched\n`));
      const touched = await graphAfterEdit('libs/go/httpx/json.go');
      expect(touched.processed).toEqual(['libs/go/httpx/json.go']);
      expect(touched.edges).toEqual(ALL_EDGES);
      restores.push(
        editFile(ws.root, 'apps/hello/main.go', (t) =>
          t.replace(`\t"${MODULE}/libs/go/buildinfo"\n`, ''),
        ),
      );
      const removed = await graphAfterEdit('apps/hello/main.go');
      expect(removed.processed).toEqual(['apps/hello/main.go']);
      expect(removed.edges).toEqual(ALL_EDGES.filter((e) => e !== 'hello -> go-buildinfo'));
    } finally {
      restoreAll(restores);
      await ws.nx(['daemon', '--stop'], daemon);
    }
  });

  it('maps imports of another module of a go.work to its project', async () => {
    const restores = [
      editFile(ws.root, 'go.work', () => 'go 1.26\n\nuse (\n\t.\n\t./libs/go/extmod\n)\n'),
      editFile(ws.root, 'libs/go/extmod/go.mod', () => 'module example.com/extmod\n\ngo 1.26\n'),
      editFile(
        ws.root,
        'libs/go/extmod/ext.go',
        () => 'package extmod\n\n// Name names the module.\nconst Name = "extmod"\n',
      ),
      editFile(ws.root, 'libs/go/extmod/project.json', () =>
        JSON.stringify({ name: 'go-extmod', projectType: 'library' }),
      ),
      editFile(ws.root, 'apps/relay/serve.go', (t) =>
        t.replace('import (', 'import (\n\t_ "example.com/extmod"\n'),
      ),
    ];
    try {
      expect((await graph()).edges).toEqual([...ALL_EDGES, 'relay -> go-extmod'].sort());
    } finally {
      restoreAll(restores);
    }
  });
});
