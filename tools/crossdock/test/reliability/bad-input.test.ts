import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import { startFaultProxy } from '../../../../libs/test-support/src/registry/fault-proxy';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { distLeftovers, describeLayout, layoutState } from './support/dist-state';
import { figureRecorder, type CaseCounters } from './support/figures';
import { firstErrorLine, nxEnv, runNx, type NxExit } from './support/nx-process';
import { tagState } from './support/registry-state';

// Bad input through real nx runs in ONE workspace copy (files reset with git between cases):
// each case must exit non-zero, name the problem on its first error line, and leave nothing
// half-written in dist/ (dist/images/relay stays the previous valid layout).
const SHARED_REGISTRY = '127.0.0.1:5000';
const gate = toolGate('reliability: bad input', ['go', 'git', 'skopeo'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

describe.skipIf(!gate.ok && !gate.ci)(
  'bad input: one clear line, a non-zero exit, nothing half-written',
  () => {
    const figures = figureRecorder('bad-input', 'Bad input');
    const saved = mkdtempSync(join(tmpdir(), 'crossdock-bad-input-'));
    let ws: WorkspaceCopy;
    let previous: string; // the index digest of the last good relay layout

    beforeAll(async () => {
      if (!gate.ok) throw new Error(gate.message);
      await requireSharedRegistry();
      ws = await copyWorkspace();
      const first = await runNx(ws.root, ['run', 'relay:image', '--outputStyle=static']);
      expect(first.code, first.output).toBe(0);
      const state = await layoutState(layoutDir());
      if (state.kind !== 'valid')
        throw new Error(`the first build did not write a valid layout: ${describeLayout(state)}`);
      previous = state.digest;
      cpSync(join(ws.root, 'dist'), join(saved, 'dist'), { recursive: true });
    });
    afterAll(() => {
      figures.write();
      ws?.remove();
      rmSync(saved, { recursive: true, force: true });
    });

    const layoutDir = () => join(ws.root, 'dist/images/relay');

    /** Puts the workspace back: tracked files from git, untracked ones removed, dist/ as after the first build. */
    async function reset(): Promise<void> {
      await ws.git(['checkout', '--', '.']);
      await ws.git(['clean', '-fdq']);
      rmSync(join(ws.root, 'dist'), { recursive: true, force: true });
      cpSync(join(saved, 'dist'), join(ws.root, 'dist'), { recursive: true });
    }

    function setImageOptions(project: string, values: Record<string, unknown>): void {
      const file = join(ws.root, 'apps', project, 'project.json');
      const json = JSON.parse(readFileSync(file, 'utf8'));
      json.targets.image.options = { ...json.targets.image.options, ...values };
      writeFileSync(file, JSON.stringify(json, null, 2));
    }

    /**
     * Runs nx, then checks the contract of a bad-input failure: non-zero exit, the first error
     * line matching `expected`, no half-written file in dist/, and relay's layout either the
     * previous valid one or (`layoutMayBeCorrupt`: the case corrupted it on purpose) untouched.
     */
    async function expectCleanFailure(
      counters: CaseCounters,
      args: readonly string[],
      expected: RegExp,
      env?: NodeJS.ProcessEnv,
    ): Promise<NxExit> {
      const run = await runNx(ws.root, [...args, '--outputStyle=static'], env);
      counters.run();
      expect(run.code, run.output).not.toBe(0);
      counters.cleanFailure();
      const line = firstErrorLine(run.output);
      expect(line, `no error line in:\n${run.output}`).toBeDefined();
      expect(line).toMatch(expected);
      counters.detail(`first error line: ${line!.replaceAll(ws.root, '<workspace>')}`);
      expect(run.output, 'a stack trace was printed').not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
      const leftovers = distLeftovers(ws.root);
      if (leftovers.length > 0) counters.lost(leftovers.length, leftovers.join(', '));
      expect(leftovers).toEqual([]);
      return run;
    }

    async function expectPreviousLayout(counters: CaseCounters): Promise<void> {
      const state = await layoutState(layoutDir());
      if (state.kind !== 'valid' || state.digest !== previous)
        counters.lost(1, `dist/images/relay is ${describeLayout(state)}`);
      expect(describeLayout(state)).toBe(`valid ${previous}`);
    }

    const graphCase = (name: string, options: Record<string, unknown>, expected: RegExp) =>
      it(name, () =>
        figures.track(name, async (counters) => {
          await reset();
          setImageOptions('relay', options);
          await expectCleanFailure(counters, ['run', 'relay:image'], expected);
          await expectPreviousLayout(counters);
        }),
      );

    graphCase(
      'an invalid platform string',
      { platforms: ['linux/amd64', 'linux/bogus'] },
      /^relay: option "platforms" is invalid: "linux\/bogus" is not a valid platform: architecture "bogus" is not one of amd64, arm64/,
    );
    graphCase(
      'an unsupported architecture (linux/sparc64)',
      { platforms: ['linux/sparc64'] },
      /^relay: option "platforms" is invalid: "linux\/sparc64" .*architecture "sparc64" is not one of/,
    );
    graphCase(
      'an unsupported os (windows/amd64)',
      { platforms: ['windows/amd64'] },
      /^relay: option "platforms" is invalid: "windows\/amd64" .*os "windows" is not supported/,
    );
    graphCase(
      'duplicate platforms after normalisation (linux/arm64 and aarch64)',
      { platforms: ['linux/arm64', 'aarch64'] },
      /^relay: option "platforms" is invalid: .*"linux\/arm64" and "aarch64" both mean linux\/arm64/,
    );
    graphCase(
      'an empty platform list',
      { platforms: [] },
      /^relay: option "platforms" is invalid: .*it is empty; name at least one platform/,
    );
    graphCase(
      'an unknown option key in project.json',
      { colour: 'red' },
      /^relay: option "colour" in apps\/relay\/project\.json \(targets\.image\.options\) is not a crossdock option; valid options: platforms/,
    );

    it('an unknown option key on the command line', () =>
      figures.track('an unknown option key on the command line', async (counters) => {
        await reset();
        await expectCleanFailure(
          counters,
          ['run', 'relay:image', '--excludeTaskDependencies', '--skip-nx-cache', '--colour=red'],
          /^\[relay\] image failed: relay: option "colour" .*is not a crossdock option/,
        );
        await expectPreviousLayout(counters);
      }));

    it('an invalid registry (push --registry with a scheme and a path)', () =>
      figures.track('an invalid registry', async (counters) => {
        await reset();
        await expectCleanFailure(
          counters,
          ['run', 'relay:push', '--excludeTaskDependencies', '--registry=http://127.0.0.1:5000/x'],
          /^\[relay\] push failed: relay: option "registry" "http:\/\/127\.0\.0\.1:5000\/x" is not a registry host\[:port\]/,
        );
        await expectPreviousLayout(counters);
      }));

    it('an invalid repository (OCI reference grammar)', () =>
      figures.track('an invalid repository', async (counters) => {
        await reset();
        const repository = 'Reliability/Bad Repo';
        await expectCleanFailure(
          counters,
          [
            'run',
            'relay:push',
            '--excludeTaskDependencies',
            `--registry=${SHARED_REGISTRY}`,
            `--repository=${repository}`,
          ],
          /^\[relay\] push failed: relay: option "repository" "Reliability\/Bad Repo" is not a repository name/,
        );
        await expectPreviousLayout(counters);
      }));

    it('an invalid tag (OCI tag grammar)', () =>
      figures.track('an invalid tag', async (counters) => {
        await reset();
        const repository = `reliability/bad-tag-${process.pid}`;
        setImageOptions('relay', { tags: ['latest', 'bad tag!'] });
        await expectCleanFailure(
          counters,
          [
            'run',
            'relay:push',
            '--excludeTaskDependencies',
            `--registry=${SHARED_REGISTRY}`,
            `--repository=${repository}`,
          ],
          /^relay: option "tags" has the template "bad tag!": is not a valid tag/,
        );
        // Tags are checked before anything is sent: not even the valid "latest" exists.
        expect((await tagState(`${SHARED_REGISTRY}/${repository}:latest`)).kind).toBe('absent');
      }));

    it('a project with image options but no main package (a library)', () =>
      figures.track('a project with no main package', async (counters) => {
        await reset();
        mkdirSync(join(ws.root, 'apps/libonly'));
        writeFileSync(
          join(ws.root, 'apps/libonly/lib.go'),
          'package libonly\n\n// Hello greets.\nfunc Hello() string { return "hi" }\n',
        );
        writeFileSync(
          join(ws.root, 'apps/libonly/project.json'),
          JSON.stringify({
            name: 'libonly',
            targets: { image: { options: { platforms: ['linux/amd64'] } } },
          }),
        );
        await expectCleanFailure(
          counters,
          ['run', 'libonly:image'],
          /^\[libonly\] libonly: apps\/libonly is package libonly, not a main package.*set the main option/,
        );
        expect(existsSync(join(ws.root, 'dist/images/libonly'))).toBe(false);
        expect(existsSync(join(ws.root, 'dist/bin/libonly'))).toBe(false);
      }));

    it('no Go toolchain on PATH', () =>
      figures.track('no Go toolchain on PATH', async (counters) => {
        await reset();
        const withoutGo = (process.env.PATH ?? '')
          .split(delimiter)
          .filter((dir) => !existsSync(join(dir, 'go')))
          .join(delimiter);
        const run = await expectCleanFailure(
          counters,
          ['run', 'relay:compile--linux-amd64', '--skip-nx-cache'],
          /^\[relay\] relay: go build for linux\/amd64 failed: go was not found on PATH; install Go \(https:\/\/go\.dev\/dl\/\) and put its bin directory on the PATH/,
          nxEnv({ PATH: withoutGo }),
        );
        // One line: the message does not spill over into a command line or a spawn error.
        expect(run.output).not.toMatch(/ENOENT|could not start/);
        expect(readFileSync(join(ws.root, 'dist/bin/relay/linux/amd64/relay'))).toEqual(
          readFileSync(join(saved, 'dist/bin/relay/linux/amd64/relay')),
        );
      }));

    it('a Go compile error: the summary line first, then the compiler output', () =>
      figures.track('a Go compile error', async (counters) => {
        await reset();
        writeFileSync(
          join(ws.root, 'apps/relay/broken.go'),
          'package main\n\nfunc broken() int { return "not an int" }\n',
        );
        const run = await expectCleanFailure(
          counters,
          ['run', 'relay:image', '--skip-nx-cache'],
          /^\[relay\] relay: go build for linux\/(amd64|arm64) failed:$/,
        );
        const lines = run.output.split('\n');
        const at = lines.findIndex((line) => /^\[relay\] relay: go build for/.test(line));
        expect(lines.slice(at + 1, at + 4).join('\n')).toMatch(
          /broken\.go:3:\d+: cannot use "not an int"/,
        );
        await expectPreviousLayout(counters);
      }));

    it('a base image that lacks one of the platforms', () =>
      figures.track('a base lacking a platform', async (counters) => {
        await reset();
        setImageOptions('relay', {
          base: `${SHARED_REGISTRY}/busybox:latest`,
          platforms: ['linux/amd64', 'linux/s390x'],
        });
        await expectCleanFailure(
          counters,
          ['run', 'relay:image'],
          /^\[relay\] image failed: relay: base image 127\.0\.0\.1:5000\/busybox:latest: it has no image for linux\/s390x; it offers linux\/amd64, linux\/arm64, linux\/arm\/v7/,
        );
        await expectPreviousLayout(counters);
      }));

    it('a base image layer corrupted in transit (refused on pull)', () =>
      figures.track('a base layer corrupted in transit', async (counters) => {
        await reset();
        // Every layer GET through this proxy has one byte flipped: same size, other digest.
        const proxy = await startFaultProxy(SHARED_REGISTRY, ({ method, path }) =>
          method === 'GET' && path.startsWith('/v2/busybox/blobs/') ? { corrupt: true } : undefined,
        );
        // An empty crossdock cache, as on a new machine: the base's blobs come through the proxy.
        const cache = mkdtempSync(join(tmpdir(), 'crossdock-bad-input-cache-'));
        try {
          await expectCleanFailure(
            counters,
            [
              'run',
              'relay:image',
              '--excludeTaskDependencies',
              '--skip-nx-cache',
              `--base=${proxy.host}/busybox:latest`,
            ],
            /^\[relay\] image failed: relay: base image 127\.0\.0\.1:\d+\/busybox:latest: .*hash(es)? to sha256:[0-9a-f]{64}.*corrupt or was tampered with/,
            nxEnv({ CROSSDOCK_CACHE: cache }),
          );
          counters.fault(proxy.requests().filter((request) => request.fault !== undefined).length);
          // Nothing that failed its digest was kept for the next build.
          const kept = join(cache, 'blobs', String(process.getuid!()));
          for (const name of existsSync(kept) ? readdirSync(kept) : [])
            expect(
              createHash('sha256')
                .update(readFileSync(join(kept, name)))
                .digest('hex'),
            ).toBe(name);
        } finally {
          await proxy.stop();
          rmSync(cache, { recursive: true, force: true });
        }
        await expectPreviousLayout(counters);
      }));

    const blobs = () => join(layoutDir(), 'blobs/sha256');
    const largestBlob = () =>
      readdirSync(blobs())
        .map((name) => ({ name, size: readFileSync(join(blobs(), name)).length }))
        .sort((a, b) => b.size - a.size)[0]!.name;

    it('a corrupt OCI layout: a missing blob (push reads it)', () =>
      figures.track('corrupt layout: missing blob (push)', async (counters) => {
        await reset();
        const missing = largestBlob();
        rmSync(join(blobs(), missing));
        counters.fault();
        const repository = `reliability/missing-blob-${process.pid}`;
        await expectCleanFailure(
          counters,
          [
            'run',
            'relay:push',
            '--excludeTaskDependencies',
            `--registry=${SHARED_REGISTRY}`,
            `--repository=${repository}`,
          ],
          new RegExp(
            `^\\[relay\\] push failed: relay: the image layout .*dist/images/relay is corrupt: blob sha256:${missing} .* is missing.*nx run relay:image`,
          ),
        );
        expect((await tagState(`${SHARED_REGISTRY}/${repository}:latest`)).kind).toBe('absent');
      }));

    it('a corrupt OCI layout: a blob whose bytes do not match its digest (smoke reads it)', () =>
      figures.track('corrupt layout: wrong digest (smoke)', async (counters) => {
        await reset();
        const blob = join(blobs(), largestBlob());
        const bytes = readFileSync(blob);
        bytes[bytes.length >> 1] ^= 0xff;
        writeFileSync(blob, bytes);
        counters.fault();
        await expectCleanFailure(
          counters,
          ['run', 'relay:smoke', '--excludeTaskDependencies', '--skip-nx-cache'],
          /^\[relay\] smoke failed: relay: the image layout .*dist\/images\/relay is corrupt: .*has digest sha256:[0-9a-f]{64}, expected sha256:[0-9a-f]{64}.*nx run relay:image/,
        );
        expect(existsSync(join(ws.root, 'dist/smoke/relay.json'))).toBe(false);
      }));

    it('a corrupt OCI layout: index.json is not JSON (smoke and push read it)', () =>
      figures.track('corrupt layout: bad JSON (smoke, push)', async (counters) => {
        await reset();
        writeFileSync(join(layoutDir(), 'index.json'), '{"schemaVersion":2,');
        counters.fault();
        await expectCleanFailure(
          counters,
          ['run', 'relay:smoke', '--excludeTaskDependencies', '--skip-nx-cache'],
          /^\[relay\] smoke failed: relay: cannot read the image at .*dist\/images\/relay: .*index\.json is not valid JSON/,
        );
        await expectCleanFailure(
          counters,
          [
            'run',
            'relay:push',
            '--excludeTaskDependencies',
            `--registry=${SHARED_REGISTRY}`,
            `--repository=reliability/bad-json-${process.pid}`,
          ],
          /^\[relay\] push failed: relay: cannot read the image layout .*dist\/images\/relay: .*index\.json is not valid JSON/,
        );
      }));

    it('a garbage file where the ELF binary should be (preflight)', () =>
      figures.track('garbage ELF (preflight)', async (counters) => {
        await reset();
        writeFileSync(
          join(ws.root, 'dist/bin/relay/linux/arm64/relay'),
          Buffer.from('this is not an ELF file, just text pretending to be a binary\n'.repeat(50)),
        );
        counters.fault();
        await expectCleanFailure(
          counters,
          ['run', 'relay:image', '--excludeTaskDependencies', '--skip-nx-cache'],
          /^\[relay\] image failed: relay: refusing to ship .*dist\/bin\/relay\/linux\/arm64\/relay in the linux\/arm64 image: it is not a readable ELF executable \(not an ELF file/,
        );
        await expectPreviousLayout(counters);
      }));
  },
);

/** The shared test registry with the busybox base (tools/scripts/setup-engines.sh, build-busybox-base.sh). */
async function requireSharedRegistry(): Promise<void> {
  const response = await fetch(`http://${SHARED_REGISTRY}/v2/busybox/tags/list`).catch(
    (error: Error) => {
      throw new Error(
        `the shared test registry ${SHARED_REGISTRY} is not reachable (${error.message}); run tools/scripts/setup-engines.sh and tools/scripts/build-busybox-base.sh`,
      );
    },
  );
  if (!response.ok)
    throw new Error(
      `${SHARED_REGISTRY} has no busybox base (HTTP ${response.status}); run tools/scripts/build-busybox-base.sh`,
    );
}
