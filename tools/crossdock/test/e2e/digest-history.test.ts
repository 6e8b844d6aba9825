import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { REPO_ROOT } from '../../../scripts/testing/workspace-copy';
import { downloadVersions, type ModuleVersion } from '../../../scripts/testing/module-versions';
import { taskOutcomes } from './nx-output';

// A property over a real history: go-httpbin (an HTTP service, main package in
// cmd/go-httpbin, no dependencies), replayed as a git repository with one commit per version
// the Go module proxy lists, from v2.18.2 to v2.26.0, and between two versions a commit that
// changes only tests (a _test.go of the app's directory and of its library, a testdata file)
// and one that changes only docs (READMEs in both directories). The workspace lies outside
// this repository and runs the in-repository plugin; one platform; the Nx cache is kept
// from commit to commit. For every commit, against the previous one:
//   the image's digest changed ⇔ `nx affected -t image` runs its image
//                              ⇔ `crossdock matrix --affected` has its cell,
// a changed image carries the commit as its revision and the commit's time as its creation
// time, an image nx affected does not list is restored from the cache, and no test or docs
// commit changes it.

const MODULE = 'github.com/mccutchen/go-httpbin/v2';
/** Every version the proxy lists (`go list -m -versions`), in order. */
const VERSIONS = [
  'v2.18.2',
  'v2.20.0',
  'v2.21.0',
  'v2.22.0-rc2',
  'v2.22.0-rc3',
  'v2.22.0-rc4',
  'v2.22.0-rc5',
  'v2.22.0-rc6',
  'v2.22.0',
  'v2.22.1',
  'v2.23.0',
  'v2.23.1',
  'v2.24.0',
  'v2.25.0',
  'v2.26.0',
];
const PROJECT = 'go-httpbin';
const APP_DIR = 'cmd/go-httpbin';
/** Files of the workspace itself, kept across versions (Nx hashes .gitignore and nx.json into every task). */
const SCAFFOLD = new Set(['package.json', 'nx.json', '.gitignore']);

const gate = toolGate('replaying a Go history', ['go', 'git', 'skopeo'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

/** What one commit of the replay did to the image, by each of the three measures. */
interface Step {
  readonly commit: string;
  readonly what: string;
  readonly digestChanged: boolean;
  readonly nxAffected: boolean;
  readonly matrixCells: readonly string[];
}

describe.skipIf(!gate.ok && !gate.ci)('digests over a real Go history', () => {
  let root = '';
  let versions: ModuleVersion[] = [];
  const env = {
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NX_SKIP_NX_CACHE: undefined,
    CI: process.env['CI'] ?? '',
  };
  const git = async (args: string[], extra: Record<string, string> = {}) =>
    (
      await execa(
        'git',
        ['-c', 'user.email=replay@crossdock.test', '-c', 'user.name=replay', ...args],
        {
          cwd: root,
          env: extra,
        },
      )
    ).stdout;
  const nx = async (args: string[]) => {
    const run = await execa('node', [join(root, 'node_modules/nx/dist/bin/nx.js'), ...args], {
      cwd: root,
      env,
      reject: false,
      all: true,
    });
    const output = String(run.all ?? '').replace(/\u001b\[[0-9;]*m/g, '');
    if (run.exitCode !== 0) throw new Error(`nx ${args.join(' ')} failed:\n${output}`);
    return output;
  };

  /** Commits everything at `time` (unix seconds) and returns the commit. */
  async function commit(message: string, time: number): Promise<string> {
    const date = `${time} +0000`;
    await git(['add', '-A']);
    await git(['commit', '-qm', message, '--allow-empty'], {
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    });
    return git(['rev-parse', 'HEAD']);
  }

  /** Replaces the module's files with another version's (the workspace's own files stay). */
  async function checkOutVersion(version: ModuleVersion): Promise<void> {
    for (const file of (await git(['ls-files'])).split('\n'))
      if (file !== '' && !SCAFFOLD.has(file)) rmSync(join(root, file), { force: true });
    cpSync(version.dir, root, {
      recursive: true,
      // The module's own .gitignore would ignore the workspace's dotfiles (`.*`).
      filter: (source) => !source.endsWith('/.gitignore'),
    });
    await execa('chmod', ['-R', 'u+w', root]);
  }

  /** The digest of the image index in dist/, and its revision and creation time (skopeo). */
  async function image(): Promise<{ digest: string; revision?: string; created: string }> {
    const layout = join(root, 'dist/images', PROJECT);
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as {
      manifests: { digest: string }[];
    };
    const inspected = JSON.parse(
      (await execa('skopeo', ['inspect', '--override-arch=amd64', `oci:${layout}`])).stdout,
    ) as { Labels: Record<string, string>; Created: string };
    return {
      digest: index.manifests[0]!.digest,
      revision: inspected.Labels['org.opencontainers.image.revision'],
      created: inspected.Created,
    };
  }

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    versions = await downloadVersions(MODULE, VERSIONS);
    root = mkdtempSync(join(tmpdir(), 'crossdock-history-'));
    // The in-repository plugin and this repository's Nx, as an installed package would be.
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
    writeFileSync(join(root, 'package.json'), '{"name":"history","private":true}\n');
    writeFileSync(join(root, '.gitignore'), 'node_modules\ndist\n.nx\n');
    await git(['init', '-q', '-b', 'main']);
  }, 300_000);
  afterAll(() => {
    if (root !== '') rmSync(root, { recursive: true, force: true });
  });

  it(`replays ${VERSIONS.length} versions with test-only and docs-only commits between them: digest changed ⇔ nx affected ⇔ matrix cells`, async () => {
    const started = performance.now();
    const steps: Step[] = [];
    // The first version, adopted with the init generator for one platform.
    await checkOutVersion(versions[0]!);
    await nx(['g', '@crossdock/nx:init', '--platforms=linux/amd64']);
    let previous = await commit(`${MODULE}@${versions[0]!.version}, adopted`, versions[0]!.time);
    await nx(['run', `${PROJECT}:image`, '--outputStyle=static']);
    let before = await image();
    expect(before.revision).toBe(previous);

    /** Commits a change and measures it by the three measures against the previous commit. */
    async function step(what: string, time: number, change: () => Promise<void> | void) {
      await change();
      const sha = await commit(what, time);
      const affected = taskOutcomes(
        await nx([
          'affected',
          '-t',
          'image',
          `--base=${previous}`,
          '--head=HEAD',
          '--outputStyle=static',
        ]),
      );
      const matrix = await execa(
        'node',
        [
          join(root, 'node_modules/@crossdock/nx/bin/crossdock.js'),
          'matrix',
          '--affected',
          `--base=${previous}`,
          '--head=HEAD',
        ],
        { cwd: root, env },
      );
      const nxAffected = [...affected.ran, ...affected.cached].includes(`${PROJECT}:image`);
      // Not affected: a build of this commit restores the image from the cache.
      const restored =
        nxAffected ||
        taskOutcomes(await nx(['run', `${PROJECT}:image`, '--outputStyle=static'])).cached.includes(
          `${PROJECT}:image`,
        );
      const after = await image();
      const cells = (
        JSON.parse(matrix.stdout) as { include: { project: string; platform: string }[] }
      ).include
        .filter((cell) => cell.project === PROJECT)
        .map((cell) => cell.platform);
      const result: Step = {
        commit: sha,
        what,
        digestChanged: after.digest !== before.digest,
        nxAffected,
        matrixCells: cells,
      };
      steps.push(result);
      expect(restored, `${what}: not affected, yet its image was built again`).toBe(true);
      if (result.digestChanged) {
        // A new image names the commit that changed what it is compiled from, at its time.
        expect(after.revision, what).toBe(sha);
        expect(Date.parse(after.created) / 1000, what).toBe(time);
      }
      before = after;
      previous = sha;
      return result;
    }

    for (const [index, version] of versions.entries()) {
      if (index === 0) continue;
      const prior = versions[index - 1]!;
      const tests = await step(`tests after ${prior.version}`, prior.time + 60, () => {
        const testFile = readdirTests(join(root, 'httpbin'))[0]!;
        appendFileSync(join(root, 'httpbin', testFile), `\n// replayed: more tests\n`);
        writeFileSync(
          join(root, APP_DIR, 'main_test.go'),
          `package main\n\n// replayed after ${prior.version}\n`,
        );
        mkdirSync(join(root, 'httpbin/testdata'), { recursive: true });
        writeFileSync(join(root, 'httpbin/testdata/replay.txt'), `${prior.version}\n`);
      });
      const docs = await step(`docs after ${prior.version}`, prior.time + 120, () => {
        appendFileSync(join(root, 'README.md'), `\nReplayed after ${prior.version}.\n`);
        writeFileSync(join(root, APP_DIR, 'README.md'), `# go-httpbin ${prior.version}\n`);
        writeFileSync(join(root, 'httpbin/NOTES.md'), `notes on ${prior.version}\n`);
      });
      for (const unrelated of [tests, docs]) {
        expect(unrelated.digestChanged, unrelated.what).toBe(false);
      }
      await step(`${MODULE}@${version.version}`, version.time, () => checkOutVersion(version));
    }

    // The property, commit by commit.
    const table = steps.map(
      (s) =>
        `${s.what}: digest ${s.digestChanged ? 'changed' : 'same'}, nx affected ${s.nxAffected}, cells ${s.matrixCells.join(',') || '-'}`,
    );
    console.log(table.join('\n'));
    for (const s of steps) {
      expect(s.nxAffected, s.what).toBe(s.digestChanged);
      expect(s.matrixCells, s.what).toEqual(s.digestChanged ? ['linux/amd64'] : []);
    }
    expect(steps.length + 1).toBeGreaterThanOrEqual(30);
    // Both sides of the property occur: versions that change the service, and commits that do not.
    expect(steps.filter((s) => s.digestChanged).length).toBeGreaterThanOrEqual(5);
    expect(steps.filter((s) => !s.digestChanged).length).toBeGreaterThanOrEqual(28);

    // What the cache restored at the last commit is what a fresh build gives.
    await nx(['run', `${PROJECT}:image`, '--outputStyle=static', '--skip-nx-cache']);
    expect((await image()).digest).toBe(before.digest);
    console.log(
      `replayed ${steps.length + 1} commits in ${Math.round((performance.now() - started) / 1000)} s`,
    );
  }, 1_200_000);
});

/** The _test.go files of a directory, sorted. */
function readdirTests(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('_test.go'))
    .sort();
}
