import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryClient, type RegistryClient } from '@crossdock/registry';
import { MediaType } from '@crossdock/oci';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import {
  startRegistry,
  type RunningRegistry,
} from '../../../../libs/test-support/src/registry/start-registry';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';

const gate = toolGate(
  'SBOMs attached on push',
  ['go', 'git', 'skopeo', 'docker-registry', 'pyspdxtools'],
  process.env,
);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

describe.skipIf(!gate.ok && !gate.ci)(
  "push attaches each platform's SBOM as an OCI artifact referring to its manifest",
  () => {
    let ws: WorkspaceCopy;
    let registry: RunningRegistry;
    let client: RegistryClient;
    let firstPush: string;
    const scratch = mkdtempSync(join(tmpdir(), 'crossdock-sbom-'));

    beforeAll(async () => {
      if (!gate.ok) throw new Error(gate.message);
      registry = await startRegistry();
      client = createRegistryClient({ registry: registry.host });
      ws = await copyWorkspace();
      const push = await ws.nx([
        'run',
        'relay:push',
        `--registry=${registry.host}`,
        '--outputStyle=static',
      ]);
      expect(push.exitCode, push.output).toBe(0);
      firstPush = push.output;
    }, 300_000);
    afterAll(async () => {
      ws?.remove();
      await registry?.stop();
      rmSync(scratch, { recursive: true, force: true });
    });

    const record = () =>
      JSON.parse(readFileSync(join(ws.root, 'dist/push/relay.json'), 'utf8')) as {
        platforms: { platform: string; digest: string }[];
      };

    it('prints one SBOM reference per platform', () => {
      expect(firstPush).toMatch(
        /sbom linux\/amd64 +\S+\/relay@sha256:[0-9a-f]{64} \(SPDX, refers to sha256:/,
      );
      expect(firstPush).toMatch(/sbom linux\/arm64 +\S+\/relay@sha256:[0-9a-f]{64}/);
    });

    it('is found through the referrers of each manifest, and is the SPDX document written beside the layout', async () => {
      for (const { platform, digest } of record().platforms) {
        const referrers = await client.referrers('relay', digest);
        expect(referrers, platform).toHaveLength(1);
        expect(referrers[0].artifactType).toBe(MediaType.spdxJson);
        const artifact = JSON.parse(
          Buffer.from((await client.getManifest('relay', referrers[0].digest)).bytes).toString(
            'utf8',
          ),
        );
        expect(artifact.subject.digest).toBe(digest);
        const sbom = Buffer.from(await client.getBlob('relay', artifact.layers[0])).toString(
          'utf8',
        );
        const slug = platform.replaceAll('/', '-');
        expect(sbom).toBe(readFileSync(join(ws.root, `dist/sbom/relay/${slug}.spdx.json`), 'utf8'));
        const file = join(scratch, `${slug}.spdx.json`);
        writeFileSync(file, sbom);
        await execa('pyspdxtools', ['-i', file]);
      }
    });

    it('keeps the referrers tag (sha256-<hex>) that skopeo reads on a registry without the referrers API, and a re-push adds nothing', async () => {
      const { digest } = record().platforms[0];
      const tag = `sha256-${digest.slice('sha256:'.length)}`;
      const before = JSON.parse(
        (
          await execa('skopeo', [
            'inspect',
            '--raw',
            '--tls-verify=false',
            `docker://${registry.host}/relay:${tag}`,
          ])
        ).stdout,
      );
      expect(before.manifests).toHaveLength(1);
      expect(before.manifests[0].artifactType).toBe(MediaType.spdxJson);
      const again = await ws.nx([
        'run',
        'relay:push',
        `--registry=${registry.host}`,
        '--outputStyle=static',
      ]);
      expect(again.exitCode, again.output).toBe(0);
      const after = JSON.parse(
        (
          await execa('skopeo', [
            'inspect',
            '--raw',
            '--tls-verify=false',
            `docker://${registry.host}/relay:${tag}`,
          ])
        ).stdout,
      );
      expect(after).toEqual(before);
    });

    it('attaches the one platform of a CI cell', async () => {
      const cell = await ws.nx([
        'run',
        'relay:push--linux-arm64',
        `--registry=${registry.host}`,
        '--repository=relay-cells',
        '--outputStyle=static',
      ]);
      expect(cell.exitCode, cell.output).toBe(0);
      const digest = JSON.parse(
        readFileSync(join(ws.root, 'dist/digests/relay/linux-arm64.json'), 'utf8'),
      ).digest;
      expect(await client.referrers('relay-cells', digest)).toHaveLength(1);
      expect(cell.output).not.toMatch(/sbom linux\/amd64/);
    });
  },
);
