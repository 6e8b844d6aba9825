import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialStore } from '@crossdock/registry';
import {
  startRegistry,
  type RunningRegistry,
} from '../../../../../libs/test-support/src/registry/start-registry';
import { toolGate } from '../../../../../libs/test-support/src/tool-gate';
import { processRunner } from '../../../src/support/process/runner';
import { readPushTargetOptions } from '../../../src/publish/push/push-target-options';
import { runPush } from '../../../src/publish/push/run-push';
import { findReferences } from '../../../src/cli/resolve/find-references';
import { runResolve } from '../../../src/cli/resolve/run-resolve';

// Bad input stops before anything is pushed: each case is one line, and the registry (a
// real one) holds no tag afterwards. The good case pushes, so the registry is shown to work.
const BUSYBOX_LAYOUT = '/var/cache/crossdock/busybox-oci';
const gate = toolGate(
  'bad input pushes nothing',
  ['docker-registry', 'skopeo', 'git'],
  process.env,
);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);
const noCredentials: CredentialStore = { find: async () => undefined };

describe.skipIf(!gate.ok && !gate.ci)('bad templates and references push nothing', () => {
  let workspaceRoot: string;
  let registry: RunningRegistry;
  const repository = `release-bad/${randomBytes(4).toString('hex')}`;
  const lines: string[] = [];
  const push = (raw: Record<string, unknown>, env: Record<string, string> = {}) =>
    runPush({
      workspaceRoot,
      project: 'demo',
      ...readPushTargetOptions(
        'demo',
        { repository, version: '1.4.0', ...raw },
        { env: { CROSSDOCK_REGISTRY: registry.host } },
      ),
      env,
      dockerCredentials: noCredentials,
      runner: processRunner,
      reporter: {
        step: (m) => lines.push(m),
        warn: (m) => lines.push(m),
        block: (m) => lines.push(m),
      },
    });
  const tagsInRegistry = async () => {
    const result = await execa(
      'skopeo',
      ['list-tags', '--tls-verify=false', `docker://${registry.host}/${repository}`],
      { reject: false },
    );
    return result.exitCode === 0 ? (JSON.parse(result.stdout) as { Tags: string[] }).Tags : [];
  };
  const oneLineError = async (action: () => Promise<unknown>) => {
    const error = await action().then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(error, 'an error').toBeInstanceOf(Error);
    expect(error!.message).not.toContain('\n');
    return error!.message;
  };

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    workspaceRoot = await mkdtemp(join(tmpdir(), 'crossdock-bad-input-'));
    await mkdir(join(workspaceRoot, 'dist/images'), { recursive: true });
    await cp(BUSYBOX_LAYOUT, join(workspaceRoot, 'dist/images/demo'), { recursive: true });
    await execa('git', ['init', '-q'], { cwd: workspaceRoot });
    registry = await startRegistry({ auth: 'none' });
  });
  afterAll(async () => {
    await registry?.stop();
    if (workspaceRoot) await rm(workspaceRoot, { recursive: true, force: true });
  });

  it('an unknown template', async () => {
    expect(await oneLineError(async () => push({ tags: ['{version}', '{bogus}'] }))).toMatch(
      /^demo: option "tags" has the template "\{bogus\}": \{bogus\} is not a template variable of tags; valid: \{version\}, \{major\}/,
    );
    expect(await tagsInRegistry()).toEqual([]);
  });

  it('an unset {env.X}', async () => {
    expect(
      await oneLineError(() => push({ tags: ['{version}', '{env.CROSSDOCK_UNSET_X}'] })),
    ).toMatch(/the environment variable CROSSDOCK_UNSET_X is not set; set it, or give a default/);
    expect(await tagsInRegistry()).toEqual([]);
  });

  it('a tag template that yields an invalid tag', async () => {
    expect(
      await oneLineError(() => push({ tags: ['{version}', 'v{env.SUFFIX}'] }, { SUFFIX: 'a/b' })),
    ).toMatch(
      /^demo: option "tags" has the template "v\{env.SUFFIX\}": gives "va\/b", not a valid tag/,
    );
    expect(await tagsInRegistry()).toEqual([]);
  });

  it('unparsable YAML, before Nx runs (an unknown project: the e2e)', async () => {
    const resolve = (text: string) =>
      runResolve({
        workspaceRoot,
        inputs: [{ name: 'deploy.yaml', text }],
        env: {},
        // Any command run would be a failure of this test: the checks come first.
        runner: {
          run: async (command) => {
            throw new Error(`ran ${command}`);
          },
        },
        log: () => undefined,
      });
    expect(() => findReferences('deploy.yaml', 'a: [1, 2\nb: {')).toThrow(
      /^deploy\.yaml:\d+: not valid YAML: /,
    );
    expect(await oneLineError(() => resolve('kind: Pod\nspec: {containers: [\n'))).toMatch(
      /^deploy\.yaml:\d+: not valid YAML/,
    );
    expect(await tagsInRegistry()).toEqual([]);
  });

  it('a good template pushes (the registry works)', async () => {
    await writeFile(join(workspaceRoot, 'x'), '');
    await push({ tags: ['{version}', '{major}.{minor}', '{env.CHANNEL:-stable}'] });
    expect((await tagsInRegistry()).sort()).toEqual(['1.4', '1.4.0', 'stable']);
  });
});
