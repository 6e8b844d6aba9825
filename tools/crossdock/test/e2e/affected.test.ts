import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import {
  addTransitiveLibrary,
  cacheable,
  editFile,
  editImageOptions,
  restoreAll,
  runTasks,
  type Restore,
} from './workspace-edits';

// `nx affected` in a git repository holding a copy of the workspace: uncommitted and
// untracked changes count as touched. hello imports buildinfo and httpx, httpx imports
// textx; relay imports buildinfo only.

const gate = toolGate('nx affected end to end', ['go', 'git'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

const append = (text: string) => (t: string) => `${t}${text}`;

describe.skipIf(!gate.ok && !gate.ci)('affected Go apps', () => {
  let ws: WorkspaceCopy;
  let base = '';

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    ws = await copyWorkspace();
    editImageOptions(ws.root, 'apps/hello', (o) => ({ ...o, platforms: ['linux/amd64'] }));
    editImageOptions(ws.root, 'apps/relay', (o) => ({ ...o, platforms: ['linux/amd64'] }));
    addTransitiveLibrary(ws.root);
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-q', '-m', 'one platform each; textx']);
    base = await ws.git(['rev-parse', 'HEAD']);
  });
  afterAll(() => ws?.remove());

  /** The projects `nx show projects --affected -t image` lists while `edits` are applied. */
  async function affectedImages(
    edits: () => Restore[],
    target: string[] = ['-t', 'image'],
  ): Promise<string[]> {
    const restores = edits();
    try {
      const run = await ws.nx([
        'show',
        'projects',
        '--affected',
        `--base=${base}`,
        ...target,
        '--json',
      ]);
      if (run.exitCode !== 0) throw new Error(`nx show projects --affected failed:\n${run.output}`);
      return (JSON.parse(run.output.slice(run.output.indexOf('['))) as string[]).sort();
    } finally {
      restoreAll(restores);
    }
  }

  it.each([
    ['nothing', [], []],
    [
      'libs/go/buildinfo (imported by both apps)',
      ['hello', 'relay'],
      [['libs/go/buildinfo/variant.go', append('\n// touched\n')]],
    ],
    [
      'libs/go/httpx (imported by hello only)',
      ['hello'],
      [['libs/go/httpx/serve.go', append('\n// touched\n')]],
    ],
    [
      'libs/go/textx (imported by hello through httpx)',
      ['hello'],
      [['libs/go/textx/textx.go', append('\n// touched\n')]],
    ],
    ['apps/relay', ['relay'], [['apps/relay/serve.go', append('\n// touched\n')]]],
    ['apps/hello', ['hello'], [['apps/hello/main.go', append('\n// touched\n')]]],
    ['go.mod', ['hello', 'relay'], [['go.mod', append('\n// touched\n')]]],
    [
      'go.sum (created)',
      ['hello', 'relay'],
      [
        [
          'go.sum',
          () =>
            'example.com/unused v1.0.0/go.mod h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n',
        ],
      ],
    ],
    [
      'README and docs',
      [],
      [
        ['README.md', append('# crossdock\n')],
        ['docs/affected.md', () => '# affected\n'],
        ['libs/go/README.md', append('\nmore\n')],
      ],
    ],
  ] as [string, string[], [string, (t: string) => string][]][])(
    'a change to %s affects the images of %j',
    async (_what, expected, changes) => {
      expect(
        await affectedImages(() => changes.map(([path, edit]) => editFile(ws.root, path, edit))),
      ).toEqual(expected);
    },
  );

  it('without -t, lists the changed library with its transitive importers', async () => {
    const edits = () => [editFile(ws.root, 'libs/go/textx/textx.go', append('\n// touched\n'))];
    expect(await affectedImages(edits, [])).toEqual(['go-httpx', 'go-textx', 'hello']);
  });

  it('`nx affected -t image` runs exactly the tasks of the affected apps', async () => {
    const restore = editFile(ws.root, 'libs/go/httpx/serve.go', append('\n// touched\n'));
    try {
      const run = await runTasks(ws, ['affected', '-t', 'image', `--base=${base}`]);
      expect(run.tasks.map((t) => t.taskId).sort()).toEqual([
        'hello:compile--linux-amd64',
        'hello:image',
      ]);
      expect(cacheable(run.misses)).toEqual(['hello:compile--linux-amd64', 'hello:image']);
    } finally {
      restore();
    }
  });
});
