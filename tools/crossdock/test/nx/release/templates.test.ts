import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePlatform } from '@crossdock/platform';
import { expandTemplate, checkTemplate } from '../../../src/options/templates/expand-template';
import { gitValues } from '../../../src/options/templates/git-values';
import { projectValues, withPlatform } from '../../../src/options/templates/project-values';
import { isStableVersion, versionValues } from '../../../src/options/templates/template-values';
import { GIT_VARIABLES } from '../../../src/options/templates/variables';
import { normalizeOptions } from '../../../src/options/normalize-options';
import { expandTags } from '../../../src/publish/push/tags';
import { compileTemplateInputs, imageTemplateInputs } from '../../../src/nx/nodes/template-inputs';
import { processRunner } from '../../../src/support/process/runner';

const values = withPlatform(
  {
    ...versionValues('1.4.2-rc.1'),
    commit: 'a1b2c3d',
    fullCommit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    branch: 'main',
    tag: 'hello@1.4.2-rc.1',
    commitDate: '2026-12-01T10:00:00Z',
    commitTimestamp: '1796119200',
    treeState: 'clean',
    project: 'hello',
  },
  makePlatform('linux', 'arm', 'v7'),
);
const env = { CHANNEL: 'beta' };
const ldflags = { project: 'hello', option: 'ldflags', field: 'ldflags' } as const;

describe('expandTemplate: every variable', () => {
  it.each([
    ['{version}', '1.4.2-rc.1'],
    ['{major}.{minor}.{patch}', '1.4.2'],
    ['{prerelease}', 'rc.1'],
    ['{commit}', 'a1b2c3d'],
    ['{fullCommit}', 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'],
    ['{branch}', 'main'],
    ['{tag}', 'hello@1.4.2-rc.1'],
    ['{commitDate}', '2026-12-01T10:00:00Z'],
    ['{commitTimestamp}', '1796119200'],
    ['{treeState}', 'clean'],
    ['{project}', 'hello'],
    ['{os}/{arch}/{variant}', 'linux/arm/v7'],
    ['{env.CHANNEL}', 'beta'],
    ['{env.UNSET_X:-stable}', 'stable'],
    ['{env.CHANNEL:-stable}', 'beta'],
    [
      '-X main.version={version} -X main.sha={fullCommit}',
      '-X main.version=1.4.2-rc.1 -X main.sha=a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    ],
    ['no template', 'no template'],
  ])('%s → %s', (template, expected) => {
    expect(expandTemplate(ldflags, template, values, env)).toBe(expected);
  });

  it('never expands a value a second time', () => {
    expect(expandTemplate(ldflags, '{env.BRACES}', values, { BRACES: '{version}' })).toBe(
      '{version}',
    );
  });
});

describe('template errors: one line, naming the project, option, template and the valid set', () => {
  it.each([
    [
      ldflags,
      '{bogus}',
      /^hello: option "ldflags" has the template "\{bogus\}": \{bogus\} is not a template variable of ldflags; valid: \{version\}, .*\{os\}, \{arch\}, \{variant\}, \{env.NAME\}, \{env.NAME:-default\}$/,
    ],
    [
      { project: 'hello', option: 'tags', field: 'tags' } as const,
      'v-{arch}',
      /"v-\{arch\}": \{arch\} is not a template variable of tags; valid: \{version\},/,
    ],
    [
      { project: 'hello', option: 'version', field: 'version' } as const,
      '{major}',
      /\{major\} is not a template variable of version/,
    ],
    [
      ldflags,
      '{env.NOT_SET_ANYWHERE}',
      /the environment variable NOT_SET_ANYWHERE is not set; set it, or give a default: \{env.NOT_SET_ANYWHERE:-value\}$/,
    ],
  ])('%j %s', (site, template, message) => {
    let error: Error | undefined;
    try {
      expandTemplate(site, template, values, env);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
  });

  it('says why a semver part is missing', () => {
    expect(() => expandTemplate(ldflags, '{major}', versionValues('dev'), {})).toThrow(
      /\{major\} has no value: the version "dev" is not a semantic version/,
    );
  });

  it('checks templates when the options are read, before anything runs', () => {
    const read = (values: Record<string, unknown>) =>
      normalizeOptions('hello', [{ source: 'project.json', values }]);
    expect(() => read({ tags: ['{bogus}'] })).toThrow(/option "tags" has the template "\{bogus\}"/);
    expect(() => read({ tags: ['-latest'] })).toThrow(/"-latest": is not a valid tag/);
    expect(() => read({ labels: { a: '{os}' } })).toThrow(
      /\{os\} is not a template variable of labels/,
    );
    expect(() => read({ annotations: { 'index:a': '{arch}' } })).toThrow(
      /\{arch\} is not a template variable of annotations/,
    );
    expect(() => read({ annotations: { 'platform:a': 'x' } })).toThrow(/has the key "platform:a"/);
    expect(read({ annotations: { 'manifest:a': '{arch}' }, version: '{tag}' }).version).toBe(
      '{tag}',
    );
    expect(checkTemplate(ldflags, '{commit}-{env.X:-y}')).toHaveLength(2);
  });
});

describe('expandTags', () => {
  it('gives semver tags and refuses a template that yields an invalid tag', () => {
    expect(
      expandTags('hello', ['{version}', '{major}.{minor}', '{major}', '{env.CHANNEL}'], values, env)
        .tags,
    ).toEqual(['1.4.2-rc.1', '1.4', '1', 'beta']);
    expect(() => expandTags('hello', ['{tag}'], values, env)).toThrow(
      /^hello: option "tags" has the template "\{tag\}": gives "hello@1.4.2-rc.1", not a valid tag/,
    );
  });
});

describe('versions', () => {
  it.each([
    ['1.4.0', true],
    ['v2.0.1', true],
    ['1.4.0-rc.1', false],
    ['dev', false],
  ])('%s stable: %s', (version, stable) => expect(isStableVersion(version)).toBe(stable));
});

describe('git values of a real repository', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await mkdtemp(join(tmpdir(), 'crossdock-templates-'));
    const git = (...args: string[]) =>
      execa('git', args, {
        cwd: repo,
        env: {
          GIT_COMMITTER_DATE: '2026-12-01T10:00:00Z',
          GIT_AUTHOR_DATE: '2026-12-01T10:00:00Z',
        },
      });
    await git('init', '-q', '-b', 'trunk');
    await writeFile(join(repo, 'a.txt'), 'a');
    await git('add', '.');
    await git('-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'one');
    await git('tag', 'v1.4.0');
  });
  afterAll(() => rm(repo, { recursive: true, force: true }));

  it('reads the commit, its date (not the clock), the branch, the tag and the tree state', async () => {
    const got = await gitValues(processRunner, repo, new Set(GIT_VARIABLES));
    expect(got.fullCommit).toMatch(/^[0-9a-f]{40}$/);
    expect((got.fullCommit as string).startsWith(got.commit as string)).toBe(true);
    expect(got).toMatchObject({
      branch: 'trunk',
      tag: 'v1.4.0',
      commitDate: '2026-12-01T10:00:00Z',
      commitTimestamp: '1796119200',
      treeState: 'clean',
    });
    await writeFile(join(repo, 'a.txt'), 'changed');
    expect((await gitValues(processRunner, repo, new Set(['treeState']))).treeState).toBe('dirty');
  });

  it('expands a version template and reads only the git data used', async () => {
    const got = await projectValues(processRunner, {
      workspaceRoot: repo,
      project: 'hello',
      version: '{tag}',
      uses: [{ field: 'tags', templates: ['{major}'] }],
      env: {},
    });
    expect(got).toMatchObject({ version: 'v1.4.0', major: '1', project: 'hello' });
    expect(got.branch).toBeUndefined();
  });

  it('says a git value is missing outside git', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'crossdock-nogit-'));
    const got = await gitValues(processRunner, outside, new Set(['commit']));
    expect(got.commit).toEqual({
      unavailable: 'there is no git commit (the workspace is not a git repository)',
    });
    await rm(outside, { recursive: true });
  });
});

describe('cache inputs of templated values', () => {
  const options = (values: Record<string, unknown>) =>
    normalizeOptions('hello', [{ source: 'project.json', values }]);

  it('makes a compile an input of the commit exactly when its ldflags use it', () => {
    expect(compileTemplateInputs(options({}))).toEqual([]);
    expect(compileTemplateInputs(options({ tags: ['{commit}'] }))).toEqual([]);
    expect(compileTemplateInputs(options({ ldflags: ['-X main.sha={commit}'] }))).toEqual([
      { runtime: 'git rev-parse HEAD 2>/dev/null || echo no-git' },
    ]);
    expect(
      compileTemplateInputs(
        options({ version: '{tag}', ldflags: ['-X main.v={version}', '{env.GITHUB_RUN_ID:-0}'] }),
      ),
    ).toEqual([
      { runtime: 'git tag --points-at HEAD --sort=-version:refname 2>/dev/null | head -n 1' },
      { env: 'GITHUB_RUN_ID' },
    ]);
  });

  it('makes an image an input of what its version, labels and annotations use', () => {
    expect(imageTemplateInputs(options({ version: '{tag}' }))).toHaveLength(1);
    expect(
      imageTemplateInputs(
        options({ annotations: { 'manifest:built': '{commitDate}' }, labels: { c: '{env.TEAM}' } }),
      ),
    ).toEqual([
      { runtime: 'git log -1 --format=%ct HEAD 2>/dev/null || echo no-git' },
      { env: 'TEAM' },
    ]);
    // No input prints a path, user, host or time of this machine.
    for (const input of imageTemplateInputs(
      options({ labels: { a: '{treeState}{branch}{fullCommit}' } }),
    ))
      expect(JSON.stringify(input)).not.toMatch(/\/(tmp|home|work)\//);
  });
});

describe('templates with dockerfile: hermetic', () => {
  const hermetic = (values: Record<string, unknown>) => () =>
    normalizeOptions('api', [
      { source: 'project.json', values: { engine: 'docker', dockerfile: 'hermetic', ...values } },
    ]);

  it('keeps {version} in ldflags (go build replaces it inside BuildKit)', () => {
    expect(hermetic({ ldflags: ['-X main.version={version}'] })).not.toThrow();
  });

  it.each([
    [
      { ldflags: ['-X main.commit={commit}'] },
      /ldflags.*\{commit\} is not expanded with dockerfile: hermetic/,
    ],
    [{ ldflags: ['-X main.arch={arch}'] }, /ldflags.*\{arch\} is not expanded/],
    [{ ldflags: ['-X main.who={env.USER}'] }, /ldflags.*\{env\.USER\} is not expanded/],
    [
      { version: '{tag}' },
      /version.*is the template "\{tag\}": not expanded with dockerfile: hermetic/,
    ],
  ])('refuses %j when options are read', (values, message) => {
    expect(hermetic(values)).toThrow(message);
  });
});
