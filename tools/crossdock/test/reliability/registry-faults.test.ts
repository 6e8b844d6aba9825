import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexFromImages, withAnnotations, type ImageIndex } from '@crossdock/oci';
import { readOciLayout, writeOciLayout } from '@crossdock/oci-layout';
import { type CredentialStore } from '@crossdock/registry';
import { parsePlatform } from '@crossdock/platform';
import {
  startFaultProxy,
  type FaultPlan,
  type FaultProxy,
} from '../../../../libs/test-support/src/registry/fault-proxy';
import {
  startRegistry,
  type RunningRegistry,
} from '../../../../libs/test-support/src/registry/start-registry';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { resolveRegistryBase } from '../../src/image/base/registry-base';
import { processRunner } from '../../src/support/process/runner';
import { runPush } from '../../src/publish/push/run-push';
import { readPushTargetOptions } from '../../src/publish/push/push-target-options';
import type { Reporter } from '../../src/support/report/reporter';
import { figureRecorder, type CaseCounters } from './support/figures';
import { describeTag, tagState, type TagState } from './support/registry-state';

// Registry faults between crossdock and a real docker-registry: a fault-injecting proxy on
// 127.0.0.1 drops connections, answers 500/503/429 (Retry-After), truncates and corrupts
// bodies and slows answers down. A push either completes after bounded retries or fails
// with a clear error, and skopeo then finds every tag absent, unchanged or complete; a pull
// never accepts bytes that do not match their digest.
const BUSYBOX_LAYOUT = '/var/cache/crossdock/busybox-oci';
const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'].map(parsePlatform);
const gate = toolGate('reliability: registry faults', ['docker-registry', 'skopeo'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

const noCredentials: CredentialStore = { find: async () => undefined };
const silent: Reporter = { step: () => undefined, warn: () => undefined, block: () => undefined };

/** A plan that fails the first `times` requests `matches` picks with `fault`, then forwards everything. */
function firstN(
  times: number,
  matches: (method: string, path: string) => boolean,
  fault: Exclude<ReturnType<FaultPlan>, undefined>,
): FaultPlan {
  let injected = 0;
  return ({ method, path }) => (matches(method, path) && injected++ < times ? fault : undefined);
}

const isUploadPut = (method: string, path: string) =>
  method === 'PUT' && path.includes('/blobs/uploads/');
const isUploadStart = (method: string, path: string) =>
  method === 'POST' && path.endsWith('/blobs/uploads/');
const isBlobHead = (method: string, path: string) =>
  method === 'HEAD' && path.includes('/blobs/sha256:');
const isBlobGet = (method: string, path: string) =>
  method === 'GET' && path.includes('/blobs/sha256:');
const isManifestPut = (reference: string) => (method: string, path: string) =>
  method === 'PUT' && path.endsWith(`/manifests/${reference}`);

describe.skipIf(!gate.ok && !gate.ci)(
  'registry faults: bounded retries, clear failures, no tag on incomplete content',
  () => {
    const figures = figureRecorder('registry-faults', 'Registry faults');
    let registry: RunningRegistry;
    let workspaceRoot: string;
    let layouts: { readonly dir: string; readonly index: ImageIndex }[];
    const proxies: FaultProxy[] = [];

    beforeAll(async () => {
      if (!gate.ok) throw new Error(gate.message);
      registry = await startRegistry({ auth: 'none' });
      workspaceRoot = await mkdtemp(join(tmpdir(), 'crossdock-faults-'));
      const first = join(workspaceRoot, 'layouts/first');
      await mkdir(join(workspaceRoot, 'layouts'), { recursive: true });
      await cp(BUSYBOX_LAYOUT, first, { recursive: true }).catch((error: unknown) => {
        throw new Error(
          `no busybox layout at ${BUSYBOX_LAYOUT}; run tools/scripts/build-busybox-base.sh`,
          { cause: error },
        );
      });
      const index = await (await readOciLayout(first)).resolveIndex();
      // A second image with the same blobs and other manifests: the "new" image of a re-push.
      const second = indexFromImages(
        index.images.map((image) =>
          withAnnotations(image, { 'org.crossdock.reliability': 'second' }),
        ),
      );
      await writeOciLayout(join(workspaceRoot, 'layouts/second'), second, { refName: 'latest' });
      layouts = [
        { dir: first, index },
        { dir: join(workspaceRoot, 'layouts/second'), index: second },
      ];
    });
    afterAll(async () => {
      figures.write();
      await Promise.all(proxies.map((proxy) => proxy.stop()));
      await registry?.stop();
      if (workspaceRoot) await rm(workspaceRoot, { recursive: true, force: true });
    });

    async function proxied(plan: FaultPlan): Promise<FaultProxy> {
      const proxy = await startFaultProxy(registry.host, plan);
      proxies.push(proxy);
      return proxy;
    }

    /** Puts layout `which` where the image target writes it (dist/images/demo). */
    async function useLayout(which: number): Promise<ImageIndex> {
      const dir = join(workspaceRoot, 'dist/images/demo');
      await rm(dir, { recursive: true, force: true });
      await cp(layouts[which]!.dir, dir, { recursive: true });
      return layouts[which]!.index;
    }

    async function push(host: string, repository: string): Promise<void> {
      await runPush({
        workspaceRoot,
        project: 'demo',
        ...readPushTargetOptions('demo', {
          registry: host,
          repository,
          tags: ['latest', '{version}'],
          version: '1.0.0',
        }),
        env: {},
        dockerCredentials: noCredentials,
        runner: processRunner,
        reporter: silent,
      });
    }

    /** Checks both tags with skopeo against the registry itself: absent, or complete and one of `allowed`. */
    async function expectTags(
      counters: CaseCounters,
      repository: string,
      allowed: readonly (string | 'absent')[],
    ): Promise<TagState[]> {
      const states = await Promise.all(
        ['latest', '1.0.0'].map((tag) => tagState(`${registry.host}/${repository}:${tag}`)),
      );
      for (const state of states) {
        const ok =
          state.kind === 'absent'
            ? allowed.includes('absent')
            : state.kind === 'complete' && allowed.includes(state.digest);
        if (!ok) counters.lost(1, `${repository}: ${describeTag(state)}`);
        expect(ok, `${repository}: ${describeTag(state)}; allowed ${allowed.join(', ')}`).toBe(
          true,
        );
      }
      return states;
    }

    interface PushScenario {
      readonly name: string;
      /** A repository that already holds the first image under both tags (manifest-stage faults), or a fresh one. */
      readonly existing: boolean;
      readonly plan: FaultPlan;
      /** Undefined: the push must complete; a pattern: it must fail with this message. */
      readonly fails?: RegExp;
      readonly minElapsedMs?: number;
    }

    const scenarios: readonly PushScenario[] = [
      {
        name: 'dropped connections on blob uploads (3 resets)',
        existing: false,
        plan: firstN(3, isUploadPut, 'reset'),
      },
      {
        name: 'HTTP 500 on upload starts (2x)',
        existing: false,
        plan: firstN(2, isUploadStart, { status: 500 }),
      },
      {
        name: 'HTTP 429 with Retry-After: 1 on a blob HEAD',
        existing: false,
        plan: firstN(1, isBlobHead, {
          status: 429,
          headers: { 'retry-after': '1' },
          body: JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }),
        }),
        minElapsedMs: 1000,
      },
      {
        name: 'slow answers (2 s) to the first upload PUTs',
        existing: false,
        plan: firstN(2, isUploadPut, { delayMs: 2000 }),
        minElapsedMs: 2000,
      },
      {
        name: 'HTTP 503 on every upload (past the retry budget)',
        existing: false,
        plan: ({ method, path }) => (isUploadPut(method, path) ? { status: 503 } : undefined),
        fails:
          /^demo: push to 127\.0\.0\.1:\d+\/faults\/s4 failed: PUT 127\.0\.0\.1:\d+\/v2\/faults\/s4\/blobs\/uploads\/[^:]+: HTTP 503 .*\(gave up after 5 attempts\)\.?$/,
      },
      {
        name: 'HTTP 503 on the index PUT (2x)',
        existing: true,
        plan: ({ method, path, seen }) =>
          method === 'PUT' && /\/manifests\/sha256:/.test(path) && seen < 2
            ? { status: 503 }
            : undefined,
      },
      {
        name: 'dropped connection on a tag PUT',
        existing: true,
        plan: firstN(1, isManifestPut('latest'), 'reset'),
      },
      {
        name: 'HTTP 500 on every PUT of tag "latest" (past the retry budget)',
        existing: true,
        plan: ({ method, path }) =>
          isManifestPut('latest')(method, path) ? { status: 500 } : undefined,
        fails:
          /^demo: push to 127\.0\.0\.1:\d+\/faults\/s7 failed: PUT 127\.0\.0\.1:\d+\/v2\/faults\/s7\/manifests\/latest: HTTP 500 .*\(gave up after 5 attempts\)\.?$/,
      },
      {
        name: 'dropped connection on every index PUT (past the retry budget)',
        existing: true,
        plan: ({ method, path }) =>
          method === 'PUT' && /\/manifests\/sha256:/.test(path) ? 'reset' : undefined,
        fails:
          /^demo: push to 127\.0\.0\.1:\d+\/faults\/s8 failed: PUT 127\.0\.0\.1:\d+\/v2\/faults\/s8\/manifests\/sha256:[0-9a-f]{64}: .*(ECONNRESET|SOCKET|closed).*\(gave up after 5 attempts\)\.?$/,
      },
    ];

    it.each(scenarios.map((scenario, i) => [scenario.name, i] as const))(
      'push through %s',
      (name, i) =>
        figures.track(`push: ${name}`, async (counters) => {
          const scenario = scenarios[i]!;
          const repository = `faults/s${i}`;
          const old = scenario.existing ? layouts[0]!.index.digest : undefined;
          if (scenario.existing) {
            await useLayout(0);
            await push(registry.host, repository);
            counters.run();
          }
          const fresh = await useLayout(scenario.existing ? 1 : 0);
          const proxy = await proxied(scenario.plan);
          const started = Date.now();
          const outcome = await push(proxy.host, repository).then(
            () => undefined,
            (error: Error) => error,
          );
          const elapsed = Date.now() - started;
          counters.run();
          counters.fault(proxy.requests().filter((request) => request.fault !== undefined).length);
          expect(
            proxy.requests().some((request) => request.fault !== undefined),
            'no fault was injected',
          ).toBe(true);
          if (scenario.fails) {
            expect(outcome, 'the push should have failed').toBeInstanceOf(Error);
            counters.cleanFailure();
            expect(outcome!.message.split('\n')[0]).toMatch(scenario.fails);
            counters.detail(
              `error: ${outcome!.message.split('\n')[0]!.replace(/127\.0\.0\.1:\d+/g, '<proxy>')}`,
            );
            await expectTags(counters, repository, old ? [old] : ['absent']);
          } else {
            expect(outcome?.message).toBeUndefined();
            if (scenario.minElapsedMs)
              expect(elapsed).toBeGreaterThanOrEqual(scenario.minElapsedMs);
            await expectTags(counters, repository, [fresh.digest]);
          }
        }),
    );

    it('a request slower than the client timeout is retried and the push completes', () =>
      figures.track('push: an answer slower than the request timeout', async (counters) => {
        // runPush keeps the default 5-minute request timeout; the client's shorter one shows the timeout path.
        const { createRegistryClient } = await import('@crossdock/registry');
        const { writeIndex } = await import('@crossdock/registry');
        const proxy = await proxied(firstN(1, isBlobHead, { delayMs: 3000 }));
        const client = createRegistryClient({
          registry: proxy.host,
          requestTimeoutMs: 1000,
          retry: { initialDelayMs: 50 },
        });
        const index = layouts[0]!.index;
        await writeIndex({ client, repository: 'faults/timeout' }, index, ['latest']);
        counters.run();
        counters.fault(1);
        expect(client.stats().retries).toBeGreaterThanOrEqual(1);
        const state = await tagState(`${registry.host}/faults/timeout:latest`);
        expect(describeTag(state)).toBe(`complete ${index.digest}`);
      }));

    interface PullScenario {
      readonly name: string;
      readonly plan: (largestLayer: string) => FaultPlan;
      readonly fails?: RegExp;
    }

    const pulls: readonly PullScenario[] = [
      {
        name: 'truncated blob bodies (cut after 64 KiB, every blob once)',
        plan: () => truncateEachOnce(isBlobGet),
      },
      {
        name: 'a truncated manifest body',
        plan: () =>
          firstN(1, (m, p) => m === 'GET' && p.includes('/manifests/sha256:'), {
            truncateAfter: 100,
          }),
      },
      {
        name: 'HTTP 503 on the index (2x)',
        plan: () =>
          firstN(2, (m, p) => m === 'GET' && p.endsWith('/manifests/latest'), { status: 503 }),
      },
      { name: 'a slow blob (2 s)', plan: () => firstN(1, isBlobGet, { delayMs: 2000 }) },
      {
        name: 'a corrupted layer (one byte flipped, every time)',
        plan:
          (layer) =>
          ({ method, path }) =>
            method === 'GET' && path.endsWith(layer) ? { corrupt: true } : undefined,
        fails:
          /DIGEST_MISMATCH|hashes to sha256:[0-9a-f]{64}; the registry's copy of the blob is corrupt or was tampered with/,
      },
      {
        name: 'a corrupted platform manifest',
        plan:
          () =>
          ({ method, path }) =>
            method === 'GET' && path.includes('/manifests/sha256:') ? { corrupt: true } : undefined,
        fails:
          /^demo: base image 127\.0\.0\.1:\d+\/faults\/base:latest: cannot read it from .*: the manifest's bytes hash to sha256:[0-9a-f]{64}, expected sha256:[0-9a-f]{64}/,
      },
    ];

    it.each(pulls.map((scenario, i) => [scenario.name, i] as const))(
      'base image pull through %s',
      (name, i) =>
        figures.track(`pull: ${name}`, async (counters) => {
          const scenario = pulls[i]!;
          const index = layouts[0]!.index;
          await useLayout(0);
          await push(registry.host, 'faults/base');
          const layers = index.images.flatMap((image) =>
            image.layers.map((layer) => layer.descriptor),
          );
          const largest = [...layers].sort((a, b) => b.size - a.size)[0]!.digest;
          const proxy = await proxied(scenario.plan(largest));
          const pulled = await (async () => {
            const base = await resolveRegistryBase(`${proxy.host}/faults/base:latest`, PLATFORMS, {
              project: 'demo',
            });
            const images = PLATFORMS.map((platform) => base.imageFor(platform));
            return Promise.all(
              images.flatMap((image) =>
                image.layers.map(async (layer) => ({
                  digest: layer.descriptor.digest,
                  bytes: await layer.open(),
                })),
              ),
            );
          })().then(
            (result) => result,
            (error: Error) => error,
          );
          counters.run();
          counters.fault(proxy.requests().filter((request) => request.fault !== undefined).length);
          expect(
            proxy.requests().some((request) => request.fault !== undefined),
            'no fault was injected',
          ).toBe(true);
          if (scenario.fails) {
            expect(pulled, 'the pull should have been refused').toBeInstanceOf(Error);
            counters.cleanFailure();
            expect((pulled as Error).message).toMatch(scenario.fails);
            counters.detail(
              `error: ${(pulled as Error).message.split('\n')[0]!.replace(/127\.0\.0\.1:\d+/g, '<proxy>')}`,
            );
          } else {
            expect(pulled instanceof Error ? pulled.message : undefined).toBeUndefined();
            // Every byte that came through matches its digest (the client checked; the bytes are complete).
            const { sha256Digest } = await import('@crossdock/oci');
            for (const { digest, bytes } of pulled as { digest: string; bytes: Uint8Array }[]) {
              if (sha256Digest(bytes) !== digest) counters.lost(1, `blob ${digest}`);
              expect(sha256Digest(bytes)).toBe(digest);
            }
          }
        }),
    );
  },
);

/** Cuts the first answer to each distinct blob GET after 64 KiB of its body (smaller blobs pass whole). */
function truncateEachOnce(matches: (method: string, path: string) => boolean): FaultPlan {
  return ({ method, path, seen }) =>
    matches(method, path) && seen === 0 ? { truncateAfter: 65536 } : undefined;
}
