import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleCommands, docBlocks, type DocBlock } from '../../../scripts/docs/doc-blocks';
import {
  copyWorkspace,
  REPO_ROOT,
  type WorkspaceCopy,
} from '../../../scripts/testing/workspace-copy';
import { supplyChainGate } from '../../../../libs/test-support/src/supply-chain-tools';

/** The documents whose commands run, in reading order (later ones use what earlier ones built). */
const DOCUMENTS = [
  'README.md',
  ...[
    'adopt',
    'configuration',
    'engines',
    'registry',
    'release',
    'smoke',
    'caching',
    'ci',
    'supply-chain',
    'troubleshooting',
    'cgo',
  ].map((name) => `docs/${name}.md`),
];

// cosign (docs/supply-chain.md) lives in the setup script's tool cache, not on PATH.
const gate = supplyChainGate(
  'docs commands',
  ['go', 'git', 'skopeo', 'file', 'docker-registry'],
  process.env,
);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

const blocks: DocBlock[] = DOCUMENTS.flatMap((file) =>
  docBlocks(file, readFileSync(join(REPO_ROOT, file), 'utf8')),
);

/** README's commands are one-liners a new user types; `npm ci` is exercised by .ci/run itself. */
function script(body: string): string {
  return body.replaceAll('npm ci && ', '');
}

describe('every document lists every docs file', () => {
  it('covers all of docs/', () => {
    const docs = readdirSync(join(REPO_ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`);
    expect(DOCUMENTS.slice(1).sort()).toEqual(docs.sort());
  });

  it("skips only the README's test command, which is exactly what .ci/run runs, and blocks another test runs", () => {
    const skipped = blocks.filter((block) => block.skip !== undefined);
    expect(skipped.map((block) => block.file)).toEqual(['README.md', 'docs/ci.md']);
    // A block run by a test of its own names that test, and the test runs the block's script.
    const elsewhere = skipped[1]!;
    const test = /tools\/crossdock\/test\/\S+\.test\.ts/.exec(elsewhere.skip!)?.[0];
    expect(test, elsewhere.skip).toBeDefined();
    const script = /tools\/scripts\/\S+\.sh/.exec(elsewhere.body)![0];
    expect(readFileSync(join(REPO_ROOT, test!), 'utf8')).toContain(script.split('/').pop());
    const commands = skipped[0].body
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(commands).toHaveLength(1);
    expect(readFileSync(join(REPO_ROOT, '.ci/run'), 'utf8')).toContain(`\n${commands[0]}\n`);
  });
});

describe.skipIf(!gate.ok && !gate.ci)('commands shown in the docs run', () => {
  let ws: WorkspaceCopy;
  let env: Record<string, string>;
  const bin = mkdtempSync(join(tmpdir(), 'crossdock-docs-bin-'));

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    ws = await copyWorkspace(['README.md', 'docs', '.github', '.ci'], { withCgo: true });
    // The docs' `docker build` needs a BuildKit-capable CLI: Debian's 20.10 one on this machine.
    symlinkSync('/usr/bin/docker', join(bin, 'docker'));
    env = {
      PATH: `${bin}:${process.env.PATH}`,
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      NX_TUI: 'false',
    };
  });
  afterAll(() => {
    ws?.remove();
    rmSync(bin, { recursive: true, force: true });
  });

  it.each(
    blocks
      .filter((block) => block.skip === undefined)
      .map((block) => [`${block.file}:${block.line} (${block.kind})`, block] as const),
  )(
    '%s',
    async (_name, block) => {
      if (block.kind === 'sh') {
        const run = await execa('bash', ['-euo', 'pipefail', '-c', script(block.body)], {
          cwd: ws.root,
          env,
          reject: false,
          all: true,
        });
        expect(run.exitCode, `${block.file}:${block.line}\n${run.all}`).toBe(0);
        return;
      }
      for (const { command, expected } of consoleCommands(block.body)) {
        const run = await execa('bash', ['-c', command], {
          cwd: ws.root,
          env,
          reject: false,
          all: true,
        });
        const output = String(run.all).replace(/\u001b\[[0-9;]*m/g, '');
        for (const line of expected)
          expect(output, `${block.file}:${block.line}: $ ${command}\n${output}`).toContain(line);
      }
    },
    300_000,
  );
});
