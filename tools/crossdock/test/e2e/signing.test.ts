import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryClient, type RegistryClient } from '@crossdock/registry';
import { decryptCosignKey, signManifest } from '@crossdock/signing';
import { MediaType } from '@crossdock/oci';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import {
  startRegistry,
  type RunningRegistry,
} from '../../../../libs/test-support/src/registry/start-registry';
import {
  cosign,
  cosignKeyPair,
  supplyChainGate,
  validateCycloneDx,
} from '../../../../libs/test-support/src/supply-chain-tools';

// Signed pushes checked by cosign itself (v2.6.5, built by the setup script) against real
// registries: every platform manifest and the index of a tagged push, and of a CI cell +
// merge flow, pass `cosign verify` and `cosign verify-attestation --type slsaprovenance1`;
// a wrong key and a manifest re-pushed under the tag fail. One workspace copy and one push
// serve every assertion.
const gate = supplyChainGate(
  'signed push',
  ['go', 'git', 'skopeo', 'docker-registry', 'python3'],
  process.env,
  { cyclonedx: true },
);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);
const PASSWORD = `e2e-sign-${process.pid}-Kp7`;

interface PushRecord {
  indexDigest: string;
  platforms: { platform: string; digest: string }[];
  signatures: { platform: string; digest: string; signature: string; attestation: string }[];
}

describe.skipIf(!gate.ok && !gate.ci)(
  'signed images and SLSA provenance that cosign verifies',
  () => {
    const scratch = mkdtempSync(join(tmpdir(), 'crossdock-signing-'));
    let ws: WorkspaceCopy;
    let registry: RunningRegistry;
    let cells: RunningRegistry;
    let client: RegistryClient;
    let keys: { key: string; pub: string };
    let wrong: { key: string; pub: string };
    let firstPush: string;
    let record: PushRecord;

    const crossdock = (args: readonly string[], env: Record<string, string> = {}) =>
      execa('node', [join(ws.root, 'tools/crossdock/bin/crossdock.js'), ...args], {
        cwd: ws.root,
        reject: false,
        all: true,
        env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', ...env },
      });
    const ref = (host: string, digest: string) => `${host}/relay@${digest}`;
    const verify = (pub: string, refs: readonly string[]) =>
      cosign(['verify', '--key', pub, '--insecure-ignore-tlog=true', ...refs]);
    const verifyAttestation = (pub: string, refs: readonly string[]) =>
      cosign([
        'verify-attestation',
        '--key',
        pub,
        '--type',
        'slsaprovenance1',
        '--insecure-ignore-tlog=true',
        ...refs,
      ]);

    beforeAll(async () => {
      if (!gate.ok) throw new Error(gate.message);
      [registry, cells, ws] = await Promise.all([
        startRegistry(),
        startRegistry(),
        copyWorkspace(),
      ]);
      client = createRegistryClient({ registry: registry.host });
      keys = await cosignKeyPair(mkdtempSync(join(scratch, 'key-')), PASSWORD);
      wrong = await cosignKeyPair(mkdtempSync(join(scratch, 'wrong-')), PASSWORD);
      // The project asks for both SBOM formats (an option of the image target, so it is an image input).
      const projectFile = join(ws.root, 'apps/relay/project.json');
      const project = JSON.parse(readFileSync(projectFile, 'utf8'));
      project.targets.image.options.sbomFormat = 'both';
      writeFileSync(projectFile, `${JSON.stringify(project, null, 2)}\n`);
      await ws.git(['commit', '-qam', 'relay: both SBOM formats']);
      const push = await ws.nx(
        [
          'run',
          'relay:push',
          `--registry=${registry.host}`,
          `--sign-key=${keys.key}`,
          '--outputStyle=static',
        ],
        { COSIGN_PASSWORD: PASSWORD },
      );
      expect(push.exitCode, push.output).toBe(0);
      firstPush = push.output;
      record = JSON.parse(
        readFileSync(join(ws.root, 'dist/push/relay.json'), 'utf8'),
      ) as PushRecord;
    }, 300_000);
    afterAll(async () => {
      ws?.remove();
      await Promise.all([registry?.stop(), cells?.stop()]);
      rmSync(scratch, { recursive: true, force: true });
    });

    const everything = () => [
      ...record.platforms.map((p) => ref(registry.host, p.digest)),
      ref(registry.host, record.indexDigest),
    ];

    it('signs every platform manifest and the index before tagging, and records where', () => {
      for (const name of ['linux/amd64', 'linux/arm64', 'index'])
        expect(firstPush).toMatch(
          new RegExp(
            `signed ${name.replace('/', '\\/')} +\\S+/relay:sha256-[0-9a-f]{64}\\.sig, provenance sha256-[0-9a-f]{64}\\.att`,
          ),
        );
      expect(firstPush.indexOf('signed index')).toBeLessThan(firstPush.indexOf('tagged'));
      expect(record.signatures.map((s) => s.platform)).toEqual([
        'linux/amd64',
        'linux/arm64',
        'index',
      ]);
      expect(record.signatures[2]).toEqual({
        platform: 'index',
        digest: record.indexDigest,
        signature: `sha256-${record.indexDigest.slice(7)}.sig`,
        attestation: `sha256-${record.indexDigest.slice(7)}.att`,
      });
    });

    it('passes `cosign verify` for every platform manifest and the index, and not with another key', async () => {
      const ok = await verify(keys.pub, everything());
      expect(ok.exitCode, ok.output).toBe(0);
      expect(ok.output.match(/"docker-manifest-digest":"sha256:[0-9a-f]{64}"/g)).toHaveLength(3);
      const bad = await verify(wrong.pub, [ref(registry.host, record.platforms[0]!.digest)]);
      expect(bad.exitCode).not.toBe(0);
      expect(bad.output).toMatch(/no matching signatures|invalid signature/);
    });

    it('passes `cosign verify-attestation --type slsaprovenance1` with SLSA v1 provenance of the resolved inputs', async () => {
      const run = await verifyAttestation(keys.pub, everything());
      expect(run.exitCode, run.output).toBe(0);
      const statements = run.output
        .split('\n')
        .filter((line) => line.startsWith('{"payloadType"'))
        .map((line) =>
          JSON.parse(Buffer.from(JSON.parse(line).payload, 'base64').toString('utf8')),
        );
      expect(statements).toHaveLength(3);
      const head = await ws.git(['rev-parse', 'HEAD']);
      const goVersion = (await execa('go', ['env', 'GOVERSION'])).stdout.trim();
      for (const { platform, digest } of record.platforms) {
        const statement = statements.find((s) => s.subject[0].digest.sha256 === digest.slice(7));
        expect(statement, platform).toBeDefined();
        expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1');
        const { buildDefinition, runDetails } = statement.predicate;
        expect(runDetails.builder.id).toBe('https://crossdock.dev/builder/nx-plugin@v1');
        expect(buildDefinition.buildType).toBe(
          'https://crossdock.dev/build-types/cross-compiled-go-image/v1',
        );
        expect(buildDefinition.externalParameters).toMatchObject({
          project: 'relay',
          platform,
          options: {
            platforms: ['linux/amd64', 'linux/arm64'],
            sbomFormat: 'both',
            version: '1.0.0',
          },
        });
        expect(buildDefinition.externalParameters.options.signKey).toBeUndefined();
        const deps = Object.fromEntries(
          buildDefinition.resolvedDependencies.map((d: { name: string }) => [d.name, d]),
        );
        // The source is the image's revision: the last commit touching a file it is compiled
        // from (the options-only commit above is not one), never a later commit.
        const config = JSON.parse(
          (
            await execa('skopeo', [
              'inspect',
              '--config',
              '--tls-verify=false',
              `docker://${ref(registry.host, digest)}`,
            ])
          ).stdout,
        );
        const revision = config.config.Labels['org.opencontainers.image.revision'];
        expect(deps.source.digest.gitCommit).toBe(revision);
        expect(revision).not.toBe(head);
        await ws.git(['merge-base', '--is-ancestor', revision, head]);
        expect(deps.go.annotations.goVersion).toBe(goVersion);
        expect(deps['go-modules'].digest.sha256).toMatch(/^[0-9a-f]{64}$/);
      }
      const index = statements.find(
        (s) => s.subject[0].digest.sha256 === record.indexDigest.slice(7),
      );
      expect(
        index.predicate.buildDefinition.resolvedDependencies
          .filter((d: { name: string }) => d.name.startsWith('manifest '))
          .map((d: { digest: { sha256: string } }) => `sha256:${d.digest.sha256}`),
      ).toEqual(record.platforms.map((p) => p.digest));
    });

    it('adds no unknown/unknown entry to the index (signatures and attestations live under their own tags)', async () => {
      const index = JSON.parse(
        (
          await execa('skopeo', [
            'inspect',
            '--raw',
            '--tls-verify=false',
            `docker://${registry.host}/relay:latest`,
          ])
        ).stdout,
      );
      expect(
        index.manifests.map(
          (m: { platform: { os: string; architecture: string } }) =>
            `${m.platform.os}/${m.platform.architecture}`,
        ),
      ).toEqual(['linux/amd64', 'linux/arm64']);
    });

    it('attaches SPDX and CycloneDX SBOMs, the CycloneDX one valid for cyclonedx-python-lib', async () => {
      for (const { platform, digest } of record.platforms) {
        const referrers = await client.referrers('relay', digest);
        expect(referrers.map((r) => r.artifactType).sort(), platform).toEqual(
          [MediaType.spdxJson, MediaType.cyclonedxJson].sort(),
        );
        const artifact = JSON.parse(
          Buffer.from(
            (
              await client.getManifest(
                'relay',
                referrers.find((r) => r.artifactType === MediaType.cyclonedxJson)!.digest,
              )
            ).bytes,
          ).toString('utf8'),
        );
        const file = join(scratch, `${platform.replace('/', '-')}.cdx.json`);
        writeFileSync(file, await client.getBlob('relay', artifact.layers[0]));
        const valid = await validateCycloneDx([file]);
        expect(valid.exitCode, valid.output).toBe(0);
      }
    });

    it('crossdock verify prints a table of every platform and the index, and fails with another key', async () => {
      const ok = await crossdock(['verify', `${registry.host}/relay:latest`, `--key=${keys.pub}`]);
      expect(ok.exitCode, ok.all).toBe(0);
      expect(ok.stdout).toMatch(/^platform +digest +signature +provenance +sbom$/m);
      expect(ok.stdout).toMatch(/^linux\/amd64 +sha256:[0-9a-f]{12} +ok +ok +SPDX \+ CycloneDX$/m);
      expect(ok.stdout).toMatch(/^linux\/arm64 +sha256:[0-9a-f]{12} +ok +ok +SPDX \+ CycloneDX$/m);
      expect(ok.stdout).toMatch(/^index +sha256:[0-9a-f]{12} +ok +ok +-$/m);
      const bad = await crossdock([
        'verify',
        `${registry.host}/relay:latest`,
        `--key=${wrong.pub}`,
      ]);
      expect(bad.exitCode).toBe(1);
      expect(bad.stdout).toMatch(
        /linux\/amd64 signature: none of the 1 signature\(s\) in sha256-[0-9a-f]{64}\.sig verifies with this key/,
      );
      expect(bad.stdout).toMatch(/NOT verified: .*6 checks failed/);
    });

    it('a re-push adds no duplicate signature or attestation layer', async () => {
      const again = await ws.nx(
        [
          'run',
          'relay:push',
          `--registry=${registry.host}`,
          `--sign-key=${keys.key}`,
          '--outputStyle=static',
        ],
        { COSIGN_PASSWORD: PASSWORD },
      );
      expect(again.exitCode, again.output).toBe(0);
      expect(again.output).toMatch(/signed index .*\.att \(already signed with this key\)/);
      for (const entry of record.signatures) {
        for (const tag of [entry.signature, entry.attestation]) {
          const manifest = JSON.parse(
            Buffer.from((await client.getManifest('relay', tag)).bytes).toString('utf8'),
          );
          expect(manifest.layers, `${entry.platform} ${tag}`).toHaveLength(1);
        }
      }
    });

    it('a second signer appends a layer; cosign accepts either key, and each layer stays once', async () => {
      const second = decryptCosignKey(readFileSync(wrong.key, 'utf8'), PASSWORD, wrong.key);
      const target = { client, repository: 'relay', key: second };
      const added = await signManifest(target, record.indexDigest);
      expect(added).toMatchObject({ appended: true, layers: 2 });
      expect(await signManifest(target, record.indexDigest)).toMatchObject({
        appended: false,
        layers: 2,
      });
      for (const pub of [keys.pub, wrong.pub]) {
        const run = await verify(pub, [ref(registry.host, record.indexDigest)]);
        expect(run.exitCode, run.output).toBe(0);
      }
    });

    it('CI cells signed by digest and a signed merge leave every child and the index verifiable', async () => {
      for (const slug of ['linux-amd64', 'linux-arm64']) {
        const cell = await ws.nx(
          [
            'run',
            `relay:push--${slug}`,
            `--registry=${cells.host}`,
            `--sign-key=${keys.key}`,
            '--outputStyle=static',
          ],
          { COSIGN_PASSWORD: PASSWORD },
        );
        expect(cell.exitCode, cell.output).toBe(0);
        expect(cell.output).toMatch(new RegExp(`signed ${slug.replace('-', '\\/')} `));
        expect(cell.output).not.toMatch(/signed index/);
      }
      const merge = await crossdock(
        [
          'merge',
          'relay',
          '--digests=dist/digests/relay',
          `--registry=${cells.host}`,
          '--tag=merged',
          `--sign-key=${keys.key}`,
        ],
        { COSIGN_PASSWORD: PASSWORD },
      );
      expect(merge.exitCode, merge.all).toBe(0);
      expect(merge.stdout).toMatch(/signed index +\S+:sha256-[0-9a-f]{64}\.sig, provenance/);
      const merged = JSON.parse(
        readFileSync(join(ws.root, 'dist/push/relay.json'), 'utf8'),
      ) as PushRecord;
      const refs = [
        ...merged.platforms.map((p) => ref(cells.host, p.digest)),
        ref(cells.host, merged.indexDigest),
      ];
      const signatures = await verify(keys.pub, refs);
      expect(signatures.exitCode, signatures.output).toBe(0);
      const attestations = await verifyAttestation(keys.pub, refs);
      expect(attestations.exitCode, attestations.output).toBe(0);
      const table = await crossdock(['verify', `${cells.host}/relay:merged`, `--key=${keys.pub}`]);
      expect(table.exitCode, table.all).toBe(0);
    });

    it('a manifest re-pushed under the tag fails verification (cosign and crossdock verify)', async () => {
      // Tamper: the amd64 manifest with one annotation changed, pushed under the tag (its blobs are there).
      const original = JSON.parse(
        Buffer.from(
          (await client.getManifest('relay', record.platforms[0]!.digest)).bytes,
        ).toString('utf8'),
      );
      const tampered = Buffer.from(
        JSON.stringify({
          ...original,
          annotations: { ...original.annotations, 'org.opencontainers.image.version': '6.6.6' },
        }),
      );
      await client.pushManifest('relay', 'latest', tampered, MediaType.ociManifest);
      const run = await verify(keys.pub, [`${registry.host}/relay:latest`]);
      expect(run.exitCode).not.toBe(0);
      expect(run.output).toMatch(/no signatures found|no matching signatures/);
      const attested = await verifyAttestation(keys.pub, [`${registry.host}/relay:latest`]);
      expect(attested.exitCode).not.toBe(0);
      const table = await crossdock([
        'verify',
        `${registry.host}/relay:latest`,
        `--key=${keys.pub}`,
      ]);
      expect(table.exitCode).toBe(1);
      expect(table.stdout).toMatch(
        /manifest signature: no signature \(no sha256-[0-9a-f]{64}\.sig tag\)/,
      );
    });
  },
);
