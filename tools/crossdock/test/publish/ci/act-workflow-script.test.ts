import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../scripts/testing/workspace-copy';

// What tools/scripts/act-workflow.sh needs before act starts, checked without act: a local
// stand-in for every public action of the workflow, taking every input the workflow passes;
// and one-line errors that change nothing for bad input. The run itself is
// test/e2e/act-workflow-e2e.test.ts.
interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
const workflow = parse(readFileSync(join(REPO_ROOT, '.github/workflows/images.yml'), 'utf8')) as {
  jobs: Record<string, { steps: Step[] }>;
};
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const publicActions = [
  ...new Set(
    steps
      .map((s) => s.uses)
      .filter((u): u is string => !!u && !u.startsWith('./') && !u.startsWith('actions/checkout@')),
  ),
];

describe('the local stand-ins of the workflow’s public actions (.ci/act)', () => {
  it.each(publicActions)(
    '%s has a stand-in that declares every input the workflow passes',
    (use) => {
      const [owner, repo] = use.split('@')[0]!.split('/');
      const file = join(REPO_ROOT, '.ci/act', owner!, repo!, 'action.yml');
      expect(existsSync(file), file).toBe(true);
      const action = parse(readFileSync(file, 'utf8')) as {
        inputs?: Record<string, unknown>;
        runs: { using: string };
      };
      expect(['composite', 'node20']).toContain(action.runs.using);
      const passed = steps.filter((s) => s.uses === use).flatMap((s) => Object.keys(s.with ?? {}));
      for (const input of passed) expect(Object.keys(action.inputs ?? {}), input).toContain(input);
    },
  );

  it("the repository's own actions exist", () => {
    for (const use of steps.map((s) => s.uses).filter((u) => u?.startsWith('./')))
      expect(existsSync(join(REPO_ROOT, use!, 'action.yml')), use).toBe(true);
  });
});

describe('tools/scripts/act-workflow.sh refuses bad input in one line, before act runs', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'crossdock-act-script-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const script = join(REPO_ROOT, 'tools/scripts/act-workflow.sh');
  const run = (args: string[], env: Record<string, string>, cwdScript = script) =>
    execa('bash', [cwdScript, ...args], {
      reject: false,
      all: true,
      env: { ACT: '/nonexistent', ...env },
    });

  it.each([
    [{ REGISTRY: '' }, "REGISTRY is ''; set it to the registry's host:port"],
    [{ REGISTRY: 'http://127.0.0.1:5000' }, "REGISTRY is 'http://127.0.0.1:5000'"],
  ])('REGISTRY=%o', async (env, message) => {
    const result = await run([], env);
    expect(result.exitCode).toBe(1);
    expect(result.all).toContain(message);
    expect(result.all!.trim().split('\n')).toHaveLength(1);
  });

  it('an unknown event or argument', async () => {
    const event = await run(['--event', 'release'], { REGISTRY: '127.0.0.1:5000' });
    expect(event.exitCode).toBe(1);
    expect(event.all).toContain("--event is 'release'; use push or pull_request");
    const unknown = await run(['--bogus'], { REGISTRY: '127.0.0.1:5000' });
    expect(unknown.exitCode).toBe(1);
    expect(unknown.all).toContain("unknown argument '--bogus'");
  });

  it('names the stand-in a new public action of the workflow needs', async () => {
    const repo = join(scratch, 'repo');
    cpSync(
      join(REPO_ROOT, 'tools/scripts/act-workflow.sh'),
      join(repo, 'tools/scripts/act-workflow.sh'),
    );
    cpSync(join(REPO_ROOT, 'tools/scripts/lib'), join(repo, 'tools/scripts/lib'), {
      recursive: true,
    });
    cpSync(join(REPO_ROOT, '.ci/act'), join(repo, '.ci/act'), { recursive: true });
    cpSync(join(REPO_ROOT, '.github'), join(repo, '.github'), { recursive: true });
    const file = join(repo, '.github/workflows/images.yml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '      - run: npm ci\n',
        '      - uses: example/new-action@v1\n      - run: npm ci\n',
      ),
    );
    for (const args of [
      ['init', '-q'],
      ['add', '-A'],
    ])
      await execa('git', args, { cwd: repo });
    await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'x'], {
      cwd: repo,
    });
    const result = await run(
      [],
      { REGISTRY: '127.0.0.1:5000' },
      join(repo, 'tools/scripts/act-workflow.sh'),
    );
    expect(result.exitCode).toBe(1);
    expect(result.all).toContain(
      `uses example/new-action@v1, which has no local stand-in; write ${repo}/.ci/act/example/new-action/action.yml`,
    );
  });

  it('says how to get act when it is missing', async () => {
    const result = await run([], { REGISTRY: '127.0.0.1:5000', PATH: '/usr/bin:/bin' });
    expect(result.exitCode).toBe(1);
    expect(result.all).toContain('act is not installed; run tools/scripts/setup-test-env.sh');
  });
});
