import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlatform } from '@crossdock/platform';
import { appBuildSpec, appClosures } from '../../src/go/app-closures';
import { compileInputs } from '../../src/nx/nodes/compile-inputs';
import { revisionInputs, revisionPathspecs, resolveRevision } from '../../src/image/revision';
import { processRunner } from '../../src/support/process/runner';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { writeWorkspace } from '../workspace-fixture';

// The revision of an image is the last commit of the files its compile inputs name: the
// runtime inputs (the commands Nx runs) and the executor (git on standard input) agree, and
// tests, testdata, docs and files of other platforms never move it.

const MODULE = 'example.com/rev';
const FILES: Record<string, string> = {
  'go.mod': `module ${MODULE}\n\ngo 1.26\n`,
  'cmd/app/main.go': `package main\n\nimport (\n\t_ "embed"\n\n\t"${MODULE}/internal/lib"\n)\n\n//go:embed static\nvar static string\n\nfunc main() { println(lib.Name, static) }\n`,
  'cmd/app/main_test.go': 'package main\n',
  'cmd/app/README.md': '# app\n',
  'cmd/app/static/index.html': '<p>hi</p>\n',
  'cmd/app/testdata/case.txt': 'x\n',
  'internal/lib/lib.go': 'package lib\n\nconst Name = "lib"\n',
  'internal/lib/lib_arm64.go': 'package lib\n\nconst Arm = true\n',
  'internal/lib/lib_windows.go': 'package lib\n\nconst Windows = true\n',
  'internal/lib/lib_test.go': 'package lib\n',
  'internal/lib/doc.md': 'notes\n',
  'internal/unused/unused.go': 'package unused\n',
  'weird/[x]*.go': 'package weird\n',
};

const gate = toolGate('revision from git', ['git'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

function closuresOf(root: string) {
  return appClosures(
    root,
    appBuildSpec('cmd/app', {
      main: '.',
      platforms: ['linux/amd64', 'linux/arm64'].map((p) => parsePlatform(p)),
      cgo: false,
      buildTags: [],
    }),
  );
}

describe('the pathspecs of an image revision', () => {
  it('are the files and embed globs of every platform, nothing a compile does not read', () => {
    const root = writeWorkspace(FILES);
    try {
      const specs = revisionPathspecs(root, closuresOf(root));
      expect(specs).toEqual(
        [
          ':(glob)cmd/app/static',
          ':(glob)cmd/app/static/**',
          'cmd/app/main.go',
          'go.mod',
          'go.sum',
          'go.work',
          'go.work.sum',
          'internal/lib/lib.go',
          'internal/lib/lib_arm64.go',
        ].sort(),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("name exactly the files of the compile targets' {workspaceRoot} inputs", () => {
    const root = writeWorkspace(FILES);
    try {
      const app = closuresOf(root);
      const inputs = new Set(
        app.closures
          .flatMap((closure) => compileInputs(root, closure))
          .filter((i): i is string => typeof i === 'string')
          .map((i) => i.replace('{workspaceRoot}/', '')),
      );
      const specs = revisionPathspecs(root, app).map((s) => s.replace(':(glob)', ''));
      expect(specs.sort()).toEqual([...inputs].sort());
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('quote wildcards and magic so that a path matches only itself', () => {
    const root = writeWorkspace(FILES);
    try {
      const specs = revisionPathspecs(root, {
        closures: [
          {
            packageDirs: [join(root, 'weird')],
            files: [join(root, 'weird/[x]*.go'), join(root, ':colon.go')],
            globs: [{ dir: join(root, 'we*rd'), pattern: '*.txt' }],
          },
        ],
      });
      expect(specs).toEqual([
        ':(glob)we\\*rd/*.txt',
        ':(literal):colon.go',
        ':(literal)weird/[x]*.go',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('runtime inputs of the revision', () => {
  it('fit one command when short, and split into commands under the limit when long', () => {
    expect(revisionInputs(['go.mod', 'cmd/app/main.go'])).toEqual([
      {
        runtime: 'git log -1 --format=%H:%ct -- go.mod cmd/app/main.go 2>/dev/null || echo no-git',
      },
    ]);
    expect(revisionInputs([])).toEqual([
      { runtime: 'git log -1 --format=%H:%ct -- . 2>/dev/null || echo no-git' },
    ]);
    const specs = Array.from({ length: 500 }, (_, i) => `pkg/p${i}/file_${i}.go`);
    const inputs = revisionInputs(specs, 1000);
    expect(inputs.length).toBeGreaterThan(10);
    const words = inputs.flatMap(({ runtime }) => {
      const list = runtime.slice(runtime.indexOf(' -- ') + 4, runtime.indexOf(' 2>/dev/null'));
      expect(list.length).toBeLessThanOrEqual(1000);
      return list.split(' ');
    });
    expect(words).toEqual(specs);
  });
});

describe.skipIf(!gate.ok && !gate.ci)('the revision in a git history', () => {
  let root = '';
  const git = (args: string[], env: Record<string, string> = {}) =>
    execa('git', ['-c', 'user.email=t@crossdock.test', '-c', 'user.name=t', ...args], {
      cwd: root,
      env,
    });
  let time = 1_700_000_000;
  /** Writes the files and commits them at the next whole minute; returns the commit. */
  async function commit(files: Record<string, string>): Promise<string> {
    for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
    time += 60;
    const date = `${time} +0000`;
    await git(['add', '-A']);
    await git(['commit', '-qm', Object.keys(files).join(' ') || 'initial'], {
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    });
    return (await git(['rev-parse', 'HEAD'])).stdout;
  }
  /** What the executor reads and what each runtime input prints, for the app's files now. */
  async function revision() {
    const specs = revisionPathspecs(root, closuresOf(root));
    const executor = await resolveRevision(processRunner, root, specs);
    const runtimes = await Promise.all(
      revisionInputs(specs, 40).map(
        async ({ runtime }) => (await execa('sh', ['-c', runtime], { cwd: root })).stdout,
      ),
    );
    return { executor, runtimes };
  }

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    root = writeWorkspace(FILES);
    await git(['init', '-q', '-b', 'main']);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('moves with compiled and embedded files only; the runtime inputs decide what the executor reads', async () => {
    const first = await commit({});
    const at = (sha: string) => ({ sha, time });
    expect((await revision()).executor).toEqual(at(first));

    const unrelated: Record<string, string>[] = [
      { 'cmd/app/main_test.go': 'package main\n\n// more tests\n' },
      { 'cmd/app/README.md': '# app, documented\n' },
      { 'cmd/app/testdata/case.txt': 'y\n' },
      { 'internal/lib/lib_test.go': 'package lib\n\n// more\n', 'internal/lib/doc.md': 'more\n' },
      { 'internal/lib/lib_windows.go': 'package lib\n\nconst Windows = false\n' },
      { 'internal/unused/unused.go': 'package unused\n\n// more\n' },
    ];
    for (const files of unrelated) {
      await commit(files);
      expect((await revision()).executor?.sha, Object.keys(files).join(' ')).toBe(first);
    }
    const related: Record<string, string>[] = [
      { 'internal/lib/lib.go': 'package lib\n\nconst Name = "lib v2"\n' },
      { 'internal/lib/lib_arm64.go': 'package lib\n\nconst Arm = false\n' },
      { 'cmd/app/static/index.html': '<p>hello</p>\n' },
      { 'go.mod': `module ${MODULE}\n\ngo 1.26.0\n` },
    ];
    for (const files of related) {
      const sha = await commit(files);
      await commit({ 'cmd/app/README.md': `# after ${sha}\n` });
      const { executor, runtimes } = await revision();
      expect(executor, Object.keys(files).join(' ')).toEqual({ sha, time: time - 60 });
      // Split over several commands, each part's last commit; the union's is among them.
      expect(runtimes.length).toBeGreaterThan(1);
      expect(runtimes).toContain(`${sha}:${time - 60}`);
    }
  });

  it('is undefined outside git', async () => {
    const outside = writeWorkspace(FILES);
    try {
      expect(await resolveRevision(processRunner, outside, ['go.mod'])).toBeUndefined();
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
