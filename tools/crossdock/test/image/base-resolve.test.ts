import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLayer, emptyImage, indexFromImages, withLayer } from '@crossdock/oci';
import { writeOciLayout } from '@crossdock/oci-layout';
import { type CredentialStore } from '@crossdock/registry';
import { parsePlatform, platformFromNode, type Platform, gnuTriple } from '@crossdock/platform';
import {
  startFaultProxy,
  type FaultProxy,
} from '../../../../libs/test-support/src/registry/fault-proxy';
import {
  startRegistry,
  type RunningRegistry,
} from '../../../../libs/test-support/src/registry/start-registry';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { BaseImageError } from '../../src/image/base/base-error';
import { localBlobCache } from '../../src/image/base/blob-cache';
import { resolveBase } from '../../src/image/base/resolve-base';
import { preflightBinary, PreflightError } from '../../src/image/preflight';

// Base images from real sources: the busybox OCI layout and the multi-arch busybox index in
// the shared test registry (both made by tools/scripts/build-busybox-base.sh), a private
// registry with Basic auth, and a recording proxy to see what is downloaded when.
const BUSYBOX = '127.0.0.1:5000/busybox:latest';
const BUSYBOX_LAYOUT = '/var/cache/crossdock/busybox-oci';
const gate = toolGate(
  'base image resolution',
  ['docker-registry', 'skopeo', 'htpasswd', 'gcc'],
  process.env,
);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

const platforms = (...names: string[]): Platform[] => names.map(parsePlatform);
const context = { workspaceRoot: '/nonexistent-workspace', project: 'relay' };

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );
}

describe.skipIf(!gate.ok && !gate.ci)('resolveBase', () => {
  let busyboxDigest: string;
  let proxy: FaultProxy;
  let scratchDir: string;

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    const raw = await execa(
      'skopeo',
      ['inspect', '--raw', '--tls-verify=false', `docker://${BUSYBOX}`],
      { reject: false },
    );
    if (raw.exitCode !== 0)
      throw new Error(
        `the busybox base is missing from 127.0.0.1:5000; run tools/scripts/setup-engines.sh && tools/scripts/build-busybox-base.sh\n${raw.stderr}`,
      );
    const { stdout } = await execa('skopeo', [
      'inspect',
      '--format',
      '{{.Digest}}',
      '--tls-verify=false',
      `docker://${BUSYBOX}`,
    ]);
    busyboxDigest = stdout.trim();
    proxy = await startFaultProxy('127.0.0.1:5000', () => undefined);
    scratchDir = await mkdtemp(join(tmpdir(), 'crossdock-base-test-'));
  });
  afterAll(async () => {
    await proxy?.stop();
    if (scratchDir) await rm(scratchDir, { recursive: true, force: true });
  });

  it('resolves a registry base per platform, pinned by digest, and downloads layers only when read', async () => {
    const base = await resolveBase(
      `${proxy.host}/busybox:latest`,
      platforms('linux/amd64', 'linux/arm64', 'linux/arm/v7'),
      context,
    );
    expect(base.digest).toBe(busyboxDigest);
    expect(base.from).toBe(`${proxy.host}/busybox@${busyboxDigest}`);
    expect(base.registryRepository).toEqual({ host: proxy.host, repository: 'busybox' });
    const layerGets = () =>
      proxy.requests().filter((r) => r.method === 'GET' && r.path.includes('/blobs/') && !r.fault);
    const configs = layerGets().length;
    expect(configs).toBe(3); // the three configs, no layer yet
    const arm = base.imageFor(parsePlatform('linux/arm/v7'));
    expect(arm.config).toMatchObject({ architecture: 'arm', variant: 'v7' });
    expect(arm.config.config?.Env).toEqual([
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    ]);

    expect(await base.hasPath(parsePlatform('linux/arm64'), '/bin/sh')).toBe(true);
    expect(await base.hasPath(parsePlatform('linux/arm64'), '/lib/ld-linux-aarch64.so.1')).toBe(
      false,
    );
    expect(layerGets().length).toBe(configs + 1); // one layer: arm64's, read once, then cached
    await base.imageFor(parsePlatform('linux/arm64')).layers[0]!.open();
    expect(layerGets().length).toBe(configs + 1);
  });

  it("keeps a registry base's configs and layers by digest: the next build reads none of them from the registry", async () => {
    const blobCache = localBlobCache(join(scratchDir, 'blob-cache'));
    const three = platforms('linux/amd64', 'linux/arm64', 'linux/arm/v7');
    const gets = (kind: 'blobs' | 'manifests') =>
      proxy.requests().filter((r) => r.method === 'GET' && r.path.includes(`/${kind}/`) && !r.fault)
        .length;
    const resolveAndRead = async () => {
      const base = await resolveBase(`${proxy.host}/busybox:latest`, three, {
        ...context,
        blobCache,
      });
      const layers = await Promise.all(three.map((p) => base.imageFor(p).layers[0]!.open()));
      return { base, layers };
    };
    const [blobs, manifests] = [gets('blobs'), gets('manifests')];
    const first = await resolveAndRead();
    expect(gets('blobs') - blobs).toBe(6); // three configs, three layers
    const second = await resolveAndRead();
    expect(gets('blobs') - blobs).toBe(6); // none again
    expect(gets('manifests') - manifests).toBe(5); // index + three manifests, then the tag's index only
    for (const [i, platform] of three.entries()) {
      expect(second.base.imageFor(platform).digest).toBe(first.base.imageFor(platform).digest);
      expect(Buffer.from(second.layers[i]!).equals(Buffer.from(first.layers[i]!))).toBe(true);
    }
    // A kept blob whose bytes changed is fetched again, and only that one.
    const arm64Layer = first.base.imageFor(three[1]!).layers[0]!.descriptor.digest;
    const kept = join(scratchDir, 'blob-cache', String(process.getuid!()), arm64Layer.slice(7));
    await writeFile(kept, 'not the layer');
    const third = await resolveAndRead();
    expect(gets('blobs') - blobs).toBe(7);
    expect(Buffer.from(third.layers[1]!).equals(Buffer.from(first.layers[1]!))).toBe(true);
  });

  it('chooses arm64/v8 for arm64 and arm for arm/v7 (selectPlatformMatch)', async () => {
    const base = await resolveBase(BUSYBOX, platforms('arm64/v8', 'arm'), context);
    expect(base.imageFor(parsePlatform('linux/arm64')).config.architecture).toBe('arm64');
    expect(base.imageFor(parsePlatform('linux/arm/v7')).config.variant).toBe('v7');
  });

  it.each([
    [
      BUSYBOX,
      /^relay: base image 127\.0\.0\.1:5000\/busybox:latest: it has no image for linux\/s390x, linux\/riscv64; it offers linux\/amd64, linux\/arm64, linux\/arm\/v7\. Remove those platforms/,
    ],
    [
      `oci:${BUSYBOX_LAYOUT}`,
      /^relay: base image oci:\/var\/cache\/crossdock\/busybox-oci: it has no image for linux\/s390x, linux\/riscv64; it offers linux\/amd64, linux\/arm64, linux\/arm\/v7/,
    ],
  ])('names the platforms %s lacks and what it offers', async (reference, message) => {
    const error = await rejection(
      resolveBase(reference, platforms('linux/amd64', 'linux/s390x', 'riscv64'), context),
    );
    expect(error).toBeInstanceOf(BaseImageError);
    expect(error.message).toMatch(message);
  });

  it('resolves an oci: layout relative to the workspace root or absolute', async () => {
    const absolute = await resolveBase(`oci:${BUSYBOX_LAYOUT}`, platforms('linux/arm64'), context);
    const relative = await resolveBase('oci:crossdock/busybox-oci', platforms('linux/arm64'), {
      ...context,
      workspaceRoot: '/var/cache',
    });
    expect(relative.digest).toBe(absolute.digest);
    expect(absolute.digest).toBe(busyboxDigest); // the same index the script pushed
    expect(absolute.from).toBe(`oci:${BUSYBOX_LAYOUT}@${busyboxDigest}`);
    expect(await absolute.hasPath(parsePlatform('linux/arm64'), '/bin/busybox')).toBe(true);
    const missing = await rejection(
      resolveBase('oci:no/such/layout', platforms('linux/arm64'), context),
    );
    expect(missing.message).toMatch(
      /^relay: base image oci:no\/such\/layout: cannot read the OCI layout \/nonexistent-workspace\/no\/such\/layout/,
    );
  });

  it('refuses a layer whose bytes do not match its digest', async () => {
    const base = await resolveBase(BUSYBOX, platforms('linux/amd64'), context);
    const layer = base.imageFor(parsePlatform('linux/amd64')).layers[0]!;
    const tampering = await startFaultProxy('127.0.0.1:5000', ({ method, path }) =>
      method === 'GET' && path.endsWith(layer.descriptor.digest)
        ? {
            status: 200,
            headers: { 'content-type': 'application/octet-stream' },
            body: 'not the layer',
          }
        : undefined,
    );
    try {
      const tampered = await resolveBase(
        `${tampering.host}/busybox:latest`,
        platforms('linux/amd64'),
        context,
      );
      const error = await rejection(tampered.hasPath(parsePlatform('linux/amd64'), '/bin/sh'));
      expect(error.message).toMatch(
        /the blob has 13 bytes, the descriptor says \d+; the registry's copy of the blob is corrupt or was tampered with/,
      );
    } finally {
      await tampering.stop();
    }
  });

  it('reads a private base with credentials, and names the registry when they are missing', async () => {
    const registry: RunningRegistry = await startRegistry({ auth: 'basic' });
    try {
      const { username, password } = registry.users[0]!;
      await execa('skopeo', [
        'copy',
        '--all',
        '--src-tls-verify=false',
        '--dest-tls-verify=false',
        `--dest-creds=${username}:${password}`,
        `docker://${BUSYBOX}`,
        `docker://${registry.host}/base/busybox:1`,
      ]);
      const credentials: CredentialStore = {
        find: async () => ({ credentials: { username, password }, source: 'a test store' }),
      };
      const base = await resolveBase(`${registry.host}/base/busybox:1`, platforms('linux/amd64'), {
        ...context,
        credentials,
      });
      expect(base.digest).toBe(busyboxDigest);
      const anonymous = await rejection(
        resolveBase(`${registry.host}/base/busybox:1`, platforms('linux/amd64'), context),
      );
      expect(anonymous.message).toContain(
        `relay: base image ${registry.host}/base/busybox:1: cannot read it from ${registry.host}`,
      );
      expect(anonymous.message).not.toContain(password);
    } finally {
      await registry.stop();
    }
  });

  it('lets the ELF preflight find a dynamic binary loader through the base layers, or refuse the binary', async () => {
    const host = platformFromNode(process.arch, process.platform);
    const source = join(scratchDir, 'hello.c');
    const binary = join(scratchDir, 'hello');
    await writeFile(source, 'int main(void) { return 0; }\n');
    await execa('gcc', ['-o', binary, source]);
    const { stdout } = await execa('readelf', ['-l', binary]).catch(() => ({ stdout: '' }));
    const loader =
      /Requesting program interpreter: ([^\]]+)\]/.exec(stdout)?.[1] ??
      (host.architecture === 'amd64'
        ? '/lib64/ld-linux-x86-64.so.2'
        : '/lib/ld-linux-aarch64.so.1');

    const busybox = await resolveBase(`oci:${BUSYBOX_LAYOUT}`, [host], context);
    const refused = await rejection(
      preflightBinary({
        project: 'relay',
        platform: host,
        binary,
        baseName: busybox.name,
        baseHasPath: (path) => busybox.hasPath(host, path),
      }),
    );
    expect(refused).toBeInstanceOf(PreflightError);
    expect(refused.message).toContain(`needs the loader ${loader}`);
    expect(refused.message).toContain(`which the base image (oci:${BUSYBOX_LAYOUT}) does not have`);

    // A merged-usr base: the loader is reached through a /lib64 (or /lib) symlink into usr/.
    const [top, ...rest] = loader.slice(1).split('/');
    const layer = await buildLayer(
      [
        { path: top!, type: 'symlink', mode: 0o777, uid: 0, gid: 0, linkTarget: `usr/${top}` },
        {
          path: `usr/${top}/${rest.join('/')}`,
          type: 'file',
          mode: 0o755,
          uid: 0,
          gid: 0,
          content: new TextEncoder().encode('loader'),
        },
        // A glibc binary needs the C library beside its loader (Debian's multiarch folder).
        {
          path: `usr/lib/${gnuTriple(host, 'glibc')}/libc.so.6`,
          type: 'file',
          mode: 0o755,
          uid: 0,
          gid: 0,
          content: new TextEncoder().encode('libc'),
        },
      ],
      { mtime: 0 },
    );
    const layoutDir = join(scratchDir, 'libc-base');
    await writeOciLayout(layoutDir, indexFromImages([withLayer(emptyImage(host), layer)]));
    const libc = await resolveBase(`oci:${layoutDir}`, [host], context);
    await expect(
      preflightBinary({
        project: 'relay',
        platform: host,
        binary,
        baseName: libc.name,
        baseHasPath: (path) => libc.hasPath(host, path),
      }),
    ).resolves.toBeDefined();
  });
});
