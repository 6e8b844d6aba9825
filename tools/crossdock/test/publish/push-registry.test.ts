import { execa } from 'execa';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRegistryClient,
  writeIndex,
  type CredentialStore,
  type RegistryError,
} from '@crossdock/registry';
import { indexFromImages, withAnnotations, type ImageIndex } from '@crossdock/oci';
import { readOciLayout } from '@crossdock/oci-layout';
import { startFaultProxy } from '../../../../libs/test-support/src/registry/fault-proxy';
import {
  startRegistry,
  type RunningRegistry,
} from '../../../../libs/test-support/src/registry/start-registry';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { formatPlatform } from '@crossdock/platform';
import { dockerCredentials } from '../../src/publish/credentials/docker-config';
import { processRunner } from '../../src/support/process/runner';
import { runMerge } from '../../src/publish/merge/run-merge';
import { parsePushFlags } from '../../src/publish/push/push-flags';
import { readPushTargetOptions } from '../../src/publish/push/push-target-options';
import type { DigestRecord, PushRecord } from '../../src/publish/push/push-record';
import { runPush, type RunPushRequest } from '../../src/publish/push/run-push';
import type { Reporter } from '../../src/support/report/reporter';

// The push core against real registries (docker-registry: anonymous, htpasswd Basic, Bearer
// tokens), checked with skopeo. The image pushed is the multi-arch busybox OCI layout made
// by tools/scripts/build-busybox-base.sh, placed where the image target would write it.
const BUSYBOX_LAYOUT = '/var/cache/crossdock/busybox-oci';
const gate = toolGate(
  'push to registries',
  ['docker-registry', 'skopeo', 'htpasswd', 'openssl'],
  process.env,
);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

const noCredentials: CredentialStore = { find: async () => undefined };

function recorder(): Reporter & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    step: (m) => lines.push(m),
    warn: (m) => lines.push(`WARNING: ${m}`),
    block: (t) => lines.push(t),
  };
}

async function skopeoRaw(
  reference: string,
  creds?: string,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await execa(
    'skopeo',
    [
      'inspect',
      '--raw',
      '--tls-verify=false',
      ...(creds ? [`--creds=${creds}`] : []),
      `docker://${reference}`,
    ],
    { reject: false },
  );
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
}

describe.skipIf(!gate.ok && !gate.ci)('runPush against real registries', () => {
  let workspaceRoot: string;
  let plain: RunningRegistry;
  let index: ImageIndex;

  const request = (
    rawOptions: Record<string, unknown>,
    extra: Partial<RunPushRequest> = {},
  ): RunPushRequest & { reporter: ReturnType<typeof recorder> } => ({
    workspaceRoot,
    project: 'demo',
    ...readPushTargetOptions('demo', {
      version: '2.0.0',
      tags: ['latest', '{version}', '{commit}'],
      ...rawOptions,
    }),
    env: {},
    dockerCredentials: noCredentials,
    runner: processRunner,
    ...extra,
    reporter: recorder(),
  });

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    workspaceRoot = await mkdtemp(join(tmpdir(), 'crossdock-push-ws-'));
    await mkdir(join(workspaceRoot, 'dist/images'), { recursive: true });
    await cp(BUSYBOX_LAYOUT, join(workspaceRoot, 'dist/images/demo'), { recursive: true }).catch(
      (error: unknown) => {
        throw new Error(
          `no busybox layout at ${BUSYBOX_LAYOUT}; run tools/scripts/build-busybox-base.sh`,
          { cause: error },
        );
      },
    );
    index = await (await readOciLayout(join(workspaceRoot, 'dist/images/demo'))).resolveIndex();
    plain = await startRegistry({ auth: 'none' });
  });
  afterAll(async () => {
    await plain?.stop();
    if (workspaceRoot) await rm(workspaceRoot, { recursive: true, force: true });
  });

  it('pushes blobs, manifests, the index and the tags, prints digests and writes the push record', async () => {
    const first = request({ registry: plain.host });
    const { stats } = await runPush(first);
    const record = JSON.parse(
      await readFile(join(workspaceRoot, 'dist/push/demo.json'), 'utf8'),
    ) as PushRecord;
    expect(record).toMatchObject({
      project: 'demo',
      registry: plain.host,
      repository: 'demo',
      tags: ['latest', '2.0.0'],
      indexDigest: index.digest,
    });
    expect(record.platforms).toEqual([
      { platform: 'linux/amd64', digest: index.manifests[0]!.digest },
      { platform: 'linux/arm64', digest: index.manifests[1]!.digest },
      { platform: 'linux/arm/v7', digest: index.manifests[2]!.digest },
    ]);
    expect(record.references).toEqual([
      `${plain.host}/demo:latest@${index.digest}`,
      `${plain.host}/demo:2.0.0@${index.digest}`,
    ]);
    expect(record.blobs).toMatchObject({ uploaded: 6, mounted: 0, exists: 0 });
    expect(stats.requests['manifest-put']).toBe(3 + 1 + 2); // platforms, the index by digest, two tags
    // Outside git there is no {commit}: said, not silently dropped.
    expect(first.reporter.lines).toContain(
      'WARNING: tag {commit} skipped: there is no git commit (the workspace is not a git repository)',
    );
    for (const platform of record.platforms)
      expect(first.reporter.lines.join('\n')).toContain(`${plain.host}/demo@${platform.digest}`);

    const raw = await skopeoRaw(`${plain.host}/demo:2.0.0`);
    expect(raw.exitCode, raw.stderr).toBe(0);
    expect(raw.stdout).toBe(Buffer.from(index.manifestBytes()).toString('utf8'));
    for (const platform of record.platforms)
      expect((await skopeoRaw(`${plain.host}/demo@${platform.digest}`)).exitCode).toBe(0);

    // The same image again: every blob is there already, nothing is uploaded.
    const again = await runPush(request({ registry: plain.host }));
    expect(again.stats.blobs).toEqual({ uploaded: 0, mounted: 0, exists: 6 });
    expect(
      again.stats.requests['upload-start'] +
        again.stats.requests['upload-chunk'] +
        again.stats.requests['upload-finish'],
    ).toBe(0);
    expect(again.stats.bytesUploaded).toBe(0);
  });

  it('pushes one platform by digest, untagged, and writes the digest record', async () => {
    const cell = request({
      registry: plain.host,
      repository: 'cells/demo',
      platform: 'linux/arm/v7',
      byDigest: true,
    });
    await runPush(cell);
    const record = JSON.parse(
      await readFile(join(workspaceRoot, 'dist/digests/demo/linux-arm-v7.json'), 'utf8'),
    ) as DigestRecord;
    expect(record).toMatchObject({
      platform: 'linux/arm/v7',
      digest: index.manifests[2]!.digest,
      repository: 'cells/demo',
      reference: `${plain.host}/cells/demo@${index.manifests[2]!.digest}`,
    });
    expect(record.blobs.uploaded).toBe(2); // one config, one layer
    expect((await skopeoRaw(record.reference)).exitCode).toBe(0);
    // No tag: docker-registry does not even know the repository's name for tag listing.
    const tags = await createRegistryClient({ registry: plain.host })
      .listTags('cells/demo')
      .catch((error: RegistryError) => error.code);
    expect(
      tags === 'NAME_UNKNOWN' || (Array.isArray(tags) && tags.length === 0),
      String(tags),
    ).toBe(true);
  });

  it('never leaves a tag pointing at an index whose push failed part-way', async () => {
    // A new index (same platforms, one more annotation) whose PUT fails: the tag keeps the old one.
    const changed = indexFromImages(
      index.images.map((image) => withAnnotations(image, { 'org.example.rebuilt': 'yes' })),
    );
    const proxy = await startFaultProxy(plain.host, ({ method, path }) =>
      method === 'PUT' && path.endsWith(`/manifests/${changed.digest}`)
        ? {
            status: 400,
            body: JSON.stringify({ errors: [{ code: 'MANIFEST_INVALID', message: 'injected' }] }),
          }
        : undefined,
    );
    try {
      const client = createRegistryClient({ registry: proxy.host, retry: { maxAttempts: 1 } });
      await expect(
        writeIndex({ client, repository: 'demo', mountFrom: [] }, changed, ['latest']),
      ).rejects.toThrow(/MANIFEST_INVALID|injected/);
      const latest = await skopeoRaw(`${plain.host}/demo:latest`);
      expect(latest.stdout).toBe(Buffer.from(index.manifestBytes()).toString('utf8'));
      // Its platform manifests did arrive (they were pushed first), so nothing dangles either.
      for (const image of changed.images)
        expect((await skopeoRaw(`${plain.host}/demo@${image.digest}`)).exitCode).toBe(0);

      // A first push that fails creates no tag at all.
      await expect(
        writeIndex({ client, repository: 'fresh/demo' }, changed, ['latest']),
      ).rejects.toThrow();
      const fresh = await skopeoRaw(`${plain.host}/fresh/demo:latest`);
      expect(fresh.exitCode).not.toBe(0);
      expect(fresh.stderr).toMatch(/manifest unknown/i);
      expect(
        proxy.requests().filter((r) => r.method === 'PUT' && r.path.endsWith('/manifests/latest')),
      ).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('authenticates with --username and --password-env (Basic), never printing the password', async () => {
    const registry = await startRegistry({ auth: 'basic' });
    try {
      const { username, password } = registry.users[0]!;
      const anonymous = request({ registry: registry.host });
      await expect(runPush(anonymous)).rejects.toThrow(
        `demo: push to ${registry.host}/demo failed: HEAD ${registry.host}/v2/demo/blobs/`,
      );
      await expect(runPush(anonymous)).rejects.toThrow(
        /HTTP 401 .* Log in with `docker login` .* or pass --username=USER --password-env=VARIABLE\./,
      );

      const explicit = request(
        { registry: registry.host, username, passwordEnv: 'CROSSDOCK_TEST_PASSWORD' },
        { env: { CROSSDOCK_TEST_PASSWORD: password } },
      );
      await runPush(explicit);
      const output = explicit.reporter.lines.join('\n');
      expect(output).toContain(
        `authenticated with --username ${username} with the password from $CROSSDOCK_TEST_PASSWORD`,
      );
      expect(output).not.toContain(password);
      expect(output).not.toContain(Buffer.from(`${username}:${password}`).toString('base64'));
      expect(
        (await skopeoRaw(`${registry.host}/demo:latest`, `${username}:${password}`)).stdout,
      ).toBe(Buffer.from(index.manifestBytes()).toString('utf8'));

      const wrong = request(
        { registry: registry.host, username, passwordEnv: 'CROSSDOCK_TEST_PASSWORD' },
        { env: { CROSSDOCK_TEST_PASSWORD: 'not-the-password' } },
      );
      const error = await runPush(wrong).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/UNAUTHORIZED|credentials/);
      expect(error?.message).not.toContain('not-the-password');
    } finally {
      await registry.stop();
    }
  });

  it('authenticates from the Docker config named by DOCKER_CONFIG (Bearer tokens)', async () => {
    const registry = await startRegistry({ auth: 'token' });
    const configDir = await mkdtemp(join(tmpdir(), 'crossdock-docker-config-'));
    try {
      const { username, password } = registry.users[0]!;
      const auth = Buffer.from(`${username}:${password}`).toString('base64');
      await writeFile(
        join(configDir, 'config.json'),
        JSON.stringify({ auths: { [registry.host]: { auth } } }),
      );
      const env = { DOCKER_CONFIG: configDir };
      const push = request(
        { registry: registry.host, repository: 'team/demo' },
        { env, dockerCredentials: await dockerCredentials(env, '/nonexistent-home') },
      );
      await runPush(push);
      const output = push.reporter.lines.join('\n');
      expect(output).toContain(`authenticated with auths in ${join(configDir, 'config.json')}`);
      expect(output).not.toContain(password);
      expect(output).not.toContain(auth);
      const scopes = registry
        .tokenServer!.requests()
        .flatMap((r) => (r.account === username ? r.scopes : []));
      expect(scopes).toContain('repository:team/demo:pull,push');
      expect(
        (await skopeoRaw(`${registry.host}/team/demo:latest`, `${username}:${password}`)).exitCode,
      ).toBe(0);
    } finally {
      await registry.stop();
      await rm(configDir, { recursive: true, force: true });
    }
  });

  it('merges cells pushed by digest into one tagged index, explaining a 401 as a push does', async () => {
    const registry = await startRegistry({ auth: 'basic' });
    const cellsRoot = await mkdtemp(join(tmpdir(), 'crossdock-merge-ws-'));
    try {
      const { username, password } = registry.users[0]!;
      await mkdir(join(cellsRoot, 'dist/images'), { recursive: true });
      await cp(BUSYBOX_LAYOUT, join(cellsRoot, 'dist/images/demo'), { recursive: true });
      const auth = { username, passwordEnv: 'CROSSDOCK_TEST_PASSWORD' };
      const env = { CROSSDOCK_TEST_PASSWORD: password };
      const platforms = index.manifests.map((entry) => formatPlatform(entry.platform!));
      for (const platform of platforms)
        await runPush(
          request(
            {
              registry: registry.host,
              repository: 'merged/demo',
              platform,
              byDigest: true,
              ...auth,
            },
            { workspaceRoot: cellsRoot, env },
          ),
        );
      const merge = (flags: Record<string, unknown>, mergeEnv: Record<string, string>) => {
        const reporter = recorder();
        const run = runMerge({
          workspaceRoot: cellsRoot,
          project: 'demo',
          imageOptions: { repository: 'merged/demo', platforms, version: '2.0.0' },
          digestsDir: join(cellsRoot, 'dist/digests/demo'),
          flags: parsePushFlags('demo', { registry: registry.host, ...flags }),
          tags: ['2.0.0'],
          env: mergeEnv,
          dockerCredentials: noCredentials,
          runner: processRunner,
          reporter,
        });
        return { run, reporter };
      };

      await expect(merge({}, {}).run).rejects.toThrow(
        new RegExp(
          `^demo: merge into ${registry.host}/merged/demo failed: .*HTTP 401 .* Log in with \`docker login\` .* or pass --username=USER --password-env=VARIABLE\\.$`,
        ),
      );

      const merged = merge(auth, env);
      await merged.run;
      const output = merged.reporter.lines.join('\n');
      expect(output).toContain('blobs: 0 uploaded, 0 mounted (a merge moves no layer)');
      expect(output).toContain(`authenticated with --username ${username}`);
      expect(output).not.toContain(password);
      // The merged index lists the cells' manifests byte-for-byte: the index the layout holds.
      const pulled = JSON.parse(
        (await skopeoRaw(`${registry.host}/merged/demo:2.0.0`, `${username}:${password}`)).stdout,
      ) as { manifests: { digest: string }[] };
      expect(pulled.manifests.map((entry) => entry.digest)).toEqual(
        index.manifests.map((entry) => entry.digest),
      );
    } finally {
      await registry.stop();
      await rm(cellsRoot, { recursive: true, force: true });
    }
  });

  it('uses plain HTTP only for loopback hosts or hosts listed with --insecure-registry', async () => {
    // 2130706433 is 127.0.0.1 written as one number: it reaches the loopback registry, but by
    // name it is not a loopback host, so plain HTTP needs --insecure-registry.
    const port = plain.host.split(':')[1]!;
    const disguised = `2130706433:${port}`;
    const https = await runPush(
      request({ registry: disguised, repository: 'disguised' }, { retry: { maxAttempts: 1 } }),
    ).then(
      () => undefined,
      (e: Error) => e,
    );
    // Without the flag it speaks TLS to a plain-HTTP server: the handshake fails.
    expect(https?.message).toMatch(
      new RegExp(
        `^demo: push to ${disguised}/disguised failed: .*does not speak HTTPS .*list it in the insecure registries option`,
        's',
      ),
    );
    await runPush(
      request({
        registry: disguised,
        repository: 'disguised',
        insecureRegistry: [`other.example`, disguised],
      }),
    );
    expect((await skopeoRaw(`${plain.host}/disguised:latest`)).stdout).toBe(
      Buffer.from(index.manifestBytes()).toString('utf8'),
    );
  });
});
