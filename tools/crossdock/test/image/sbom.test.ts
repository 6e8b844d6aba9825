import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGoBuildInfo } from '@crossdock/elf';
import { goEnv, parsePlatform } from '@crossdock/platform';
import { makePlan } from '../../src/image/make-plan';
import { normalizeOptions } from '../../src/options/normalize-options';
import { spdxFromGoBuildInfo } from '../../src/image/sbom/spdx';
import { renderSboms, writeSboms } from '../../src/image/sbom/write-sboms';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { REPO_ROOT } from '../../../scripts/testing/workspace-copy';

const gate = toolGate('SBOM', ['go', 'pyspdxtools'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

describe.skipIf(!gate.ok && !gate.ci)('SPDX SBOMs from the Go build info of real binaries', () => {
  const root = mkdtempSync(join(tmpdir(), 'crossdock-sbom-'));
  const platform = parsePlatform('linux/arm64');
  const binary = join(root, 'bin/linux/arm64/relay');

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    await execa('go', ['build', '-trimpath', '-buildvcs=false', '-o', binary, './apps/relay'], {
      cwd: REPO_ROOT,
      env: { ...goEnv(platform), GOTOOLCHAIN: 'local' },
    });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('lists the binary, the main module and the standard library, reproducibly', async () => {
    const info = await readGoBuildInfo(binary);
    const subject = {
      project: 'relay',
      platform: 'linux/arm64',
      binarySha256: 'ab'.repeat(32),
      created: '2026-01-01T00:00:00Z',
      toolVersion: '0.1.0',
    };
    const document = spdxFromGoBuildInfo(info, subject);
    expect(document.spdxVersion).toBe('SPDX-2.3');
    expect(document.packages.map((p) => p.name)).toEqual([
      'relay',
      'github.com/crossdock/crossdock',
      'stdlib',
    ]);
    expect(document.packages[2].versionInfo).toBe(info.goVersion.replace(/^go/, ''));
    expect(document.relationships[0]).toEqual({
      spdxElementId: 'SPDXRef-DOCUMENT',
      relationshipType: 'DESCRIBES',
      relatedSpdxElement: 'SPDXRef-Binary',
    });
    expect(spdxFromGoBuildInfo(info, subject)).toEqual(document);
  });

  it('lists dependency modules with purls and replacements', () => {
    const document = spdxFromGoBuildInfo(
      {
        goVersion: 'go1.26.8',
        path: 'example.com/app',
        main: { path: 'example.com/app', version: '(devel)' },
        deps: [
          { path: 'golang.org/x/sys', version: 'v0.30.0', sum: 'h1:x' },
          {
            path: 'example.com/old',
            version: 'v1.0.0',
            replace: { path: 'example.com/fork', version: 'v1.0.1' },
          },
        ],
        settings: {},
      },
      {
        project: 'app',
        platform: 'linux/amd64',
        binarySha256: '00'.repeat(32),
        created: '2026-01-01T00:00:00Z',
        toolVersion: '0.1.0',
      },
    );
    expect(
      document.packages
        .slice(3)
        .map((p) => [p.name, p.versionInfo, p.externalRefs?.[0].referenceLocator, p.comment]),
    ).toEqual([
      ['golang.org/x/sys', 'v0.30.0', 'pkg:golang/golang.org/x/sys@v0.30.0', undefined],
      [
        'example.com/old',
        'v1.0.1',
        'pkg:golang/example.com/fork@v1.0.1',
        'replaced by example.com/fork v1.0.1',
      ],
    ]);
  });

  it('writes one document per platform that an independent SPDX validator accepts', async () => {
    const options = normalizeOptions('relay', [
      { source: 'test', values: { platforms: ['linux/arm64'] } },
    ]);
    const plan = makePlan({
      workspaceRoot: root,
      project: 'relay',
      options,
      provenance: { epoch: 1_700_000_000 },
      shared: { passwd: '', group: '', caBundle: '' },
    });
    const files = await writeSboms(join(root, 'sbom'), {
      ...plan,
      platforms: [{ ...plan.platforms[0], binary }],
    });
    expect(Object.keys(files)).toEqual(['linux-arm64']);
    const document = JSON.parse(readFileSync(files['linux-arm64'], 'utf8'));
    expect(document.creationInfo.created).toBe('2023-11-14T22:13:20Z');
    await execa('pyspdxtools', ['-i', files['linux-arm64']]);
    // The image pipeline renders them from the binaries it read already: the same documents.
    const planned = { ...plan, platforms: [{ ...plan.platforms[0], binary }] };
    const bytes = readFileSync(binary);
    expect(await renderSboms(planned, 'both', async () => bytes)).toEqual(
      await renderSboms(planned, 'both'),
    );
    expect(document.packages[0].checksums).toContainEqual({
      algorithm: 'SHA256',
      checksumValue: createHash('sha256').update(bytes).digest('hex'),
    });
  });
});
