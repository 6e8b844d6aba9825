import { describe, expect, it } from 'vitest';
import { sha256Digest } from '@crossdock/oci';
import { normalizeOptions } from '../../src/options/normalize-options';
import {
  annotationInputs,
  goInputsOf,
  moduleListText,
  provenanceOptions,
} from '../../src/publish/provenance/image-provenance';
import {
  BUILD_TYPE,
  BUILDER_ID,
  slsaProvenance,
} from '../../src/publish/provenance/slsa-provenance';

const MANIFEST = `sha256:${'1'.repeat(64)}`;
const BASE = `sha256:${'b'.repeat(64)}`;

describe('SLSA v1 provenance of a manifest', () => {
  const options = provenanceOptions(
    normalizeOptions('hello', [
      { source: 'test', values: { signKey: 'keys/cosign.key', version: '1.2.3' } },
    ]),
  );

  it('records builder, build type, parameters and every resolved input', () => {
    const statement = slsaProvenance({
      subjectName: '127.0.0.1:5000/hello',
      subjectDigest: MANIFEST,
      project: 'hello',
      platform: 'linux/arm64',
      source: 'https://example.com/repo.git',
      revision: 'c0ffee',
      base: { name: '127.0.0.1:5000/busybox:latest', digest: BASE },
      go: { version: 'go1.26.8', moduleListDigest: `sha256:${'e'.repeat(64)}`, modules: 3 },
      options,
    });
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.subject).toEqual([
      { name: '127.0.0.1:5000/hello', digest: { sha256: '1'.repeat(64) } },
    ]);
    expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(statement.predicate.runDetails.builder.id).toBe(BUILDER_ID);
    expect(statement.predicate.buildDefinition.buildType).toBe(BUILD_TYPE);
    expect(statement.predicate.buildDefinition.externalParameters).toMatchObject({
      project: 'hello',
      platform: 'linux/arm64',
      options: { version: '1.2.3', platforms: ['linux/amd64', 'linux/arm64'] },
    });
    expect(statement.predicate.buildDefinition.resolvedDependencies).toEqual([
      { name: 'source', uri: 'git+https://example.com/repo.git', digest: { gitCommit: 'c0ffee' } },
      {
        name: 'base',
        uri: 'oci://127.0.0.1:5000/busybox:latest',
        digest: { sha256: 'b'.repeat(64) },
      },
      { name: 'go', uri: 'pkg:golang/stdlib@v1.26.8', annotations: { goVersion: 'go1.26.8' } },
      {
        name: 'go-modules',
        digest: { sha256: 'e'.repeat(64) },
        annotations: expect.objectContaining({ modules: 3 }),
      },
    ]);
  });

  it('never records the signing key, and holds no time (the same build gives the same statement)', () => {
    expect(options).not.toHaveProperty('signKey');
    const input = { subjectName: 'r/hello', subjectDigest: MANIFEST, project: 'hello', options };
    expect(JSON.stringify(slsaProvenance(input))).toBe(JSON.stringify(slsaProvenance(input)));
    expect(JSON.stringify(slsaProvenance(input))).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });

  it('lists the manifests of an index, and nothing for scratch', () => {
    const statement = slsaProvenance({
      subjectName: 'r/hello',
      subjectDigest: MANIFEST,
      project: 'hello',
      base: { name: 'scratch' },
      options,
      manifests: [{ platform: 'linux/amd64', digest: BASE }],
    });
    expect(statement.predicate.buildDefinition.resolvedDependencies).toEqual([
      {
        name: 'manifest linux/amd64',
        uri: `oci://r/hello@${BASE}`,
        digest: { sha256: 'b'.repeat(64) },
      },
    ]);
    expect(statement.predicate.buildDefinition.internalParameters).toEqual({ kind: 'index' });
  });
});

describe('provenance inputs', () => {
  it.each([
    [[], ''],
    [
      [{ path: 'golang.org/x/sys', version: 'v0.30.0', sum: 'h1:abc=' }],
      'golang.org/x/sys v0.30.0 h1:abc=\n',
    ],
    [
      [
        {
          path: 'example.com/old',
          version: 'v1.0.0',
          replace: { path: '../fork', version: '(devel)' },
        },
      ],
      'example.com/old v1.0.0 => ../fork (devel)\n',
    ],
  ])('module list of %j', (deps, text) => {
    expect(moduleListText(deps)).toBe(text);
    expect(goInputsOf({ goVersion: 'go1.26.8', deps, settings: {} })).toEqual({
      version: 'go1.26.8',
      moduleListDigest: sha256Digest(text),
      modules: deps.length,
    });
  });

  it('reads source, revision and base from annotations and labels', () => {
    expect(
      annotationInputs({
        'org.opencontainers.image.source': 'https://example.com/r.git',
        'org.opencontainers.image.revision': 'abc',
        'org.opencontainers.image.base.name': 'r/busybox:1',
        'org.opencontainers.image.base.digest': BASE,
      }),
    ).toEqual({
      source: 'https://example.com/r.git',
      revision: 'abc',
      base: { name: 'r/busybox:1', digest: BASE },
    });
    expect(annotationInputs({})).toEqual({});
  });
});
