import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGoBuildInfo, type GoBuildInfo } from '@crossdock/elf';
import { goEnv, parsePlatform } from '@crossdock/platform';
import { makePlan } from '../../src/image/make-plan';
import { normalizeOptions } from '../../src/options/normalize-options';
import { cycloneDxFromGoBuildInfo } from '../../src/image/sbom/cyclonedx';
import { writeSboms } from '../../src/image/sbom/write-sboms';
import {
  supplyChainGate,
  validateCycloneDx,
} from '../../../../libs/test-support/src/supply-chain-tools';
import { REPO_ROOT } from '../../../scripts/testing/workspace-copy';

// CycloneDX 1.6 documents checked by an independent validator: cyclonedx-python-lib's strict
// JSON-schema validation (tools/scripts/validate-cyclonedx.py), from PyPI.
const gate = supplyChainGate('CycloneDX SBOM', ['go', 'python3', 'pyspdxtools'], process.env, {
  cosign: false,
  cyclonedx: true,
});
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

const SUBJECT = {
  project: 'app',
  platform: 'linux/amd64',
  binarySha256: '0a'.repeat(32),
  created: '2026-01-01T00:00:00Z',
  toolVersion: '0.1.0',
};
const INFO: GoBuildInfo = {
  goVersion: 'go1.26.8',
  path: 'example.com/app',
  main: { path: 'example.com/app', version: '(devel)' },
  deps: [
    { path: 'golang.org/x/sys', version: 'v0.30.0', sum: 'h1:abc=' },
    {
      path: 'example.com/old',
      version: 'v1.0.0',
      replace: { path: 'example.com/fork', version: 'v1.0.1' },
    },
  ],
  settings: {},
};

describe('CycloneDX 1.6 documents (pure)', () => {
  it('describes the binary as the metadata component and every module as a library it depends on', () => {
    const document = cycloneDxFromGoBuildInfo(INFO, SUBJECT);
    expect(document).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 });
    expect(document.serialNumber).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(document.metadata.component).toMatchObject({
      type: 'application',
      name: 'app',
      hashes: [{ alg: 'SHA-256', content: SUBJECT.binarySha256 }],
    });
    expect(document.components.map((c) => [c.name, c.version, c.purl])).toEqual([
      ['example.com/app', '(devel)', undefined],
      ['stdlib', '1.26.8', 'pkg:golang/stdlib@v1.26.8'],
      ['golang.org/x/sys', 'v0.30.0', 'pkg:golang/golang.org/x/sys@v0.30.0'],
      ['example.com/old', 'v1.0.1', 'pkg:golang/example.com/fork@v1.0.1'],
    ]);
    expect(document.components[3]!.description).toBe('replaced by example.com/fork v1.0.1');
    expect(document.dependencies[0]!.dependsOn).toEqual(
      document.components.map((c) => c['bom-ref']),
    );
  });

  it('is reproducible, and another binary or platform gets another serial number', () => {
    const document = cycloneDxFromGoBuildInfo(INFO, SUBJECT);
    expect(cycloneDxFromGoBuildInfo(INFO, SUBJECT)).toEqual(document);
    expect(
      cycloneDxFromGoBuildInfo(INFO, { ...SUBJECT, platform: 'linux/arm64' }).serialNumber,
    ).not.toBe(document.serialNumber);
    expect(
      cycloneDxFromGoBuildInfo(INFO, { ...SUBJECT, binarySha256: '0b'.repeat(32) }).serialNumber,
    ).not.toBe(document.serialNumber);
  });
});

describe.skipIf(!gate.ok && !gate.ci)(
  'CycloneDX SBOMs of real binaries, checked by cyclonedx-python-lib',
  () => {
    const root = mkdtempSync(join(tmpdir(), 'crossdock-cyclonedx-'));
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

    it('writes both formats with sbomFormat: both, each valid for its own validator', async () => {
      const info = await readGoBuildInfo(binary);
      const options = normalizeOptions('relay', [
        { source: 'test', values: { platforms: ['linux/arm64'], sbomFormat: 'both' } },
      ]);
      const plan = {
        ...makePlan({
          workspaceRoot: root,
          project: 'relay',
          options,
          provenance: { epoch: 0 },
          shared: { passwd: '', group: '', caBundle: '' },
        }),
      };
      const planned = { ...plan, platforms: plan.platforms.map((p) => ({ ...p, binary })) };
      const dir = join(root, 'sbom');
      await writeSboms(dir, planned, 'both');
      const cdx = join(dir, 'linux-arm64.cdx.json');
      const document = JSON.parse(readFileSync(cdx, 'utf8'));
      expect(document.components.map((c: { name: string }) => c.name)).toEqual([
        'github.com/crossdock/crossdock',
        'stdlib',
      ]);
      expect(document.components[1].version).toBe(info.goVersion.replace(/^go/, ''));
      const valid = await validateCycloneDx([cdx]);
      expect(valid.exitCode, valid.output).toBe(0);
      await execa('pyspdxtools', ['-i', join(dir, 'linux-arm64.spdx.json')]);
    });

    it('is rejected by the validator when broken (the validator really checks)', async () => {
      const broken = {
        ...cycloneDxFromGoBuildInfo(INFO, SUBJECT),
        components: [{ type: 'gadget', name: 'x' }],
      };
      const file = join(root, 'broken.cdx.json');
      writeFileSync(file, JSON.stringify(broken));
      const result = await validateCycloneDx([file]);
      expect(result.exitCode).toBe(1);
      expect(result.output).toMatch(/INVALID/);
    });
  },
);
