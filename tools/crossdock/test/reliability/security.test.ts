import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryClient, writeIndex } from '@crossdock/registry';
import { readOciLayout } from '@crossdock/oci-layout';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import { startFaultProxy } from '../../../../libs/test-support/src/registry/fault-proxy';
import {
  startRegistry,
  type RunningRegistry,
} from '../../../../libs/test-support/src/registry/start-registry';
import { figureRecorder, type CaseCounters } from './support/figures';
import { firstErrorLine, nxEnv, runNx, type NxExit } from './support/nx-process';
import { scanBytes, scanTree, type SecretHit } from './support/secret-scan';
import {
  cosignKeyPair,
  supplyChainGate,
} from '../../../../libs/test-support/src/supply-chain-tools';

// Credentials and privileges. A distinctive password (Basic, htpasswd) and a distinctive
// identity token (Bearer, token server) reach crossdock only through a Docker config file in
// a temporary DOCKER_CONFIG; afterwards neither, nor any issued JWT, appears in nx output,
// dist/ (layers decompressed) or the Nx cache. Plain HTTP to a non-loopback host is refused
// before any byte is sent unless the host is listed as insecure; token requests ask only
// for the scopes each operation needs; the image runs as 65532 and cannot write its files.
const BUSYBOX_LAYOUT = '/var/cache/crossdock/busybox-oci';
const SHARED_REGISTRY = '127.0.0.1:5000';
const USER = 'crossdock-sec';
const PASSWORD = `Pw-reliability-${process.pid}-7f3c9a1e5d`;
const IDENTITY_TOKEN = `idtok-reliability-${process.pid}-c0ffee5eed`;
const COSIGN_PASSWORD = `Cosign-reliability-${process.pid}-9e1f0c`;
const WRONG_COSIGN_PASSWORD = `Wrong-cosign-${process.pid}-77aa31`;
const DOCKER = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
const gate = supplyChainGate(
  'reliability: security',
  ['go', 'git', 'skopeo', 'docker-registry', 'htpasswd', 'openssl', 'tar', 'docker'],
  process.env,
);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

describe.skipIf(!gate.ok && !gate.ci)(
  'security: no credential leaks, least-privilege tokens, non-root images',
  () => {
    const figures = figureRecorder('security', 'Security');
    const secrets = {
      password: PASSWORD,
      'identity token': IDENTITY_TOKEN,
      'Basic header value': Buffer.from(`${USER}:${PASSWORD}`).toString('base64'),
      'cosign key password': COSIGN_PASSWORD,
      'wrong cosign key password': WRONG_COSIGN_PASSWORD,
    };
    const dockerConfig = mkdtempSync(join(tmpdir(), 'crossdock-docker-config-'));
    const outputs: { label: string; text: string }[] = [];
    let ws: WorkspaceCopy;
    let basic: RunningRegistry;
    let token: RunningRegistry;
    let baseRef: string;
    let signKey: string;

    beforeAll(async () => {
      if (!gate.ok) throw new Error(gate.message);
      const users = [{ username: USER, password: PASSWORD }];
      [ws, basic, token] = await Promise.all([
        copyWorkspace(),
        startRegistry({ auth: 'basic', users }),
        startRegistry({
          auth: 'token',
          users,
          token: { refreshTokens: { [IDENTITY_TOKEN]: USER } },
        }),
      ]);
      writeDockerConfig({});
      // The base image lives on the token registry (seeded with the password, outside crossdock's runs).
      const seed = createRegistryClient({
        registry: token.host,
        credentials: { username: USER, password: PASSWORD },
      });
      await writeIndex(
        { client: seed, repository: 'base/busybox' },
        await (await readOciLayout(BUSYBOX_LAYOUT)).resolveIndex(),
        ['latest'],
      );
      baseRef = `${token.host}/base/busybox:latest`;
      // A cosign key pair made by cosign itself; its password reaches crossdock only through COSIGN_PASSWORD.
      signKey = (
        await cosignKeyPair(mkdtempSync(join(tmpdir(), 'crossdock-sec-key-')), COSIGN_PASSWORD)
      ).key;
    });
    afterAll(async () => {
      figures.write();
      await Promise.all([basic?.stop(), token?.stop()]);
      ws?.remove();
      rmSync(dockerConfig, { recursive: true, force: true });
    });

    /** The Docker config crossdock reads: Basic credentials for the htpasswd registry, an identity token for the token registry. */
    function writeDockerConfig(extra: Record<string, unknown>): void {
      const auths = {
        [basic.host]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') },
        [token.host]: {
          auth: Buffer.from(`${USER}:`).toString('base64'),
          identitytoken: IDENTITY_TOKEN,
        },
        ...extra,
      };
      writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths }, null, 2));
    }

    async function nx(
      counters: CaseCounters,
      label: string,
      args: readonly string[],
      env: Readonly<Record<string, string | undefined>> = {},
    ): Promise<NxExit> {
      const run = await runNx(
        ws.root,
        [...args, '--outputStyle=static'],
        nxEnv({ DOCKER_CONFIG: dockerConfig, ...env }),
      );
      counters.run();
      outputs.push({ label, text: run.output });
      return run;
    }

    const tokenScopes = () =>
      (token.tokenServer?.requests() ?? []).map((request) => [...request.scopes].sort().join(' '));

    it('builds on a base from the token registry asking only for pull on the base', () =>
      figures.track('token scopes: base image pull', async (counters) => {
        const before = tokenScopes().length;
        const run = await nx(counters, 'image', ['run', 'relay:image', `--base=${baseRef}`]);
        expect(run.code, run.output).toBe(0);
        const asked = tokenScopes().slice(before);
        expect(asked.length).toBeGreaterThan(0);
        expect([...new Set(asked)]).toEqual(['repository:base/busybox:pull']);
        counters.detail(
          `token requests: ${asked.length}, scopes: ${[...new Set(asked)].join(' | ')}`,
        );
      }));

    it('pushes to the token registry asking pull,push on the target and pull on the mount source only', () =>
      figures.track('token scopes: push with a mount', async (counters) => {
        const before = tokenScopes().length;
        const run = await nx(counters, 'push (token)', [
          'run',
          'relay:push',
          '--excludeTaskDependencies',
          `--registry=${token.host}`,
          '--repository=sec/relay',
        ]);
        expect(run.code, run.output).toBe(0);
        expect(run.output).toMatch(/mounted from base\/busybox/);
        const asked = [...new Set(tokenScopes().slice(before))];
        // pull alone: reading the referrers tag (sha256-<hex>) before attaching an SBOM.
        for (const scopes of asked)
          expect([
            'repository:sec/relay:pull,push',
            'repository:sec/relay:pull',
            'repository:base/busybox:pull repository:sec/relay:pull,push',
          ]).toContain(scopes);
        expect(asked).toContain('repository:base/busybox:pull repository:sec/relay:pull,push');
        counters.detail(`scope sets: ${asked.join(' | ')}`);
      }));

    it('pushes to the htpasswd registry with Basic credentials from the Docker config', () =>
      figures.track('Basic auth push', async (counters) => {
        const run = await nx(counters, 'push (basic)', [
          'run',
          'relay:push',
          '--excludeTaskDependencies',
          `--registry=${basic.host}`,
          '--repository=sec/relay',
        ]);
        expect(run.code, run.output).toBe(0);
        expect(run.output).toContain(
          `authenticated with auths in ${join(dockerConfig, 'config.json')}`,
        );
      }));

    it('never sends credentials over plain HTTP to a non-loopback host unless it is listed as insecure', async () => {
      const address = Object.values(networkInterfaces())
        .flat()
        .find((info) => info && info.family === 'IPv4' && !info.internal)?.address;
      if (address === undefined)
        throw new Error(
          'this machine has no non-loopback IPv4 address to stand for a remote registry',
        );
      await figures.track('plain HTTP to a non-loopback host', async (counters) => {
        // The htpasswd registry, reachable over plain HTTP at a non-loopback address.
        const proxy = await startFaultProxy(basic.host, () => undefined, { listenHost: address });
        try {
          writeDockerConfig({
            [proxy.host]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') },
          });
          // A bare host that is not loopback is spoken to over HTTPS: the plain-HTTP server fails the handshake, nothing is sent in clear.
          const refused = await nx(counters, 'push (non-loopback, refused)', [
            'run',
            'relay:push',
            '--excludeTaskDependencies',
            `--registry=${proxy.host}`,
            '--repository=sec/remote',
          ]);
          expect(refused.code).not.toBe(0);
          counters.cleanFailure();
          const line = firstErrorLine(refused.output);
          expect(line).toMatch(
            new RegExp(
              `^\\[relay\\] push failed: .*${proxy.host.replaceAll('.', '\\.')} does not speak HTTPS.*list it in the insecure registries option \\(push: --insecureRegistry=${proxy.host.replaceAll('.', '\\.')}\\)`,
            ),
          );
          expect(proxy.requests()).toEqual([]);
          counters.detail(`refused, no request sent: ${line!.replaceAll(proxy.host, '<remote>')}`);

          // Asking for plain HTTP explicitly does not help: the client refuses before connecting.
          expect(() =>
            createRegistryClient({
              registry: `http://${proxy.host}`,
              credentials: { username: USER, password: PASSWORD },
            }),
          ).toThrow(
            /refusing to send credentials over plain HTTP to .*not a loopback host and not listed as insecure/,
          );
          counters.run();
          counters.cleanFailure();
          expect(proxy.requests()).toEqual([]);

          // Listed as insecure, the same push goes through over plain HTTP.
          const allowed = await nx(counters, 'push (non-loopback, insecure)', [
            'run',
            'relay:push',
            '--excludeTaskDependencies',
            `--registry=${proxy.host}`,
            '--repository=sec/remote',
            `--insecureRegistry=${proxy.host}`,
          ]);
          expect(allowed.code, allowed.output).toBe(0);
          expect(proxy.requests().length).toBeGreaterThan(0);
        } finally {
          writeDockerConfig({});
          await proxy.stop();
        }
      });
    });

    it('runs as 65532:65532 with root-owned, non-writable files (config, app layer, docker run)', () =>
      figures.track('non-root image', async (counters) => {
        const layout = await readOciLayout(join(ws.root, 'dist/images/relay'));
        const index = await layout.resolveIndex();
        for (const image of index.images) {
          expect(image.config.config?.User).toBe('65532:65532');
          // The app layer is crossdock's (the last one); list it with GNU tar, independently of crossdock's reader.
          const appLayer = image.layers[image.layers.length - 1]!;
          const file = join(mkdtempSync(join(tmpdir(), 'crossdock-layer-')), 'layer.tar.gz');
          writeFileSync(file, await appLayer.open());
          const listing = (await execa('tar', ['-tvzf', file, '--numeric-owner'])).stdout
            .split('\n')
            .filter(Boolean);
          rmSync(file, { force: true });
          for (const line of listing) {
            const [mode, owner] = line.split(/\s+/);
            expect(owner, line).toBe('0/0');
            expect(mode!.slice(5, 6), `group-writable: ${line}`).toBe('-');
            expect(mode!.slice(8, 9), `world-writable: ${line}`).toBe('-');
          }
          expect(listing.find((line) => line.endsWith(' usr/local/bin/relay'))).toMatch(
            /^-rwxr-xr-x 0\/0 /,
          );
          for (const path of ['etc/passwd', 'etc/group'])
            expect(listing.find((line) => line.endsWith(` ${path}`))).toMatch(/^-rw-r--r-- 0\/0 /);
          counters.detail(
            `${image.config.architecture}: ${listing.length} entries, all 0/0, none group/world-writable`,
          );
        }

        const repository = `reliability/relay-nonroot-${process.pid}`;
        const push = await nx(counters, 'push (shared registry)', [
          'run',
          'relay:push',
          '--excludeTaskDependencies',
          `--registry=${SHARED_REGISTRY}`,
          `--repository=${repository}`,
        ]);
        expect(push.code, push.output).toBe(0);
        const run = await execa(
          DOCKER,
          [
            'run',
            '--rm',
            '--pull',
            'always',
            '--platform',
            'linux/amd64',
            '--entrypoint',
            '/bin/sh',
            `${SHARED_REGISTRY}/${repository}:latest`,
            '-c',
            'id -u; touch /usr/local/bin/x',
          ],
          { reject: false },
        );
        counters.run();
        expect(run.stdout.trim()).toBe('65532');
        expect(run.exitCode).not.toBe(0);
        expect(run.stderr).toMatch(/Permission denied/);
        counters.detail(
          `docker run: id -u = ${run.stdout.trim()}; touch /usr/local/bin/x: ${run.stderr.trim().split('\n').pop()}`,
        );
      }));

    it('signs with the cosign key whose password comes only from COSIGN_PASSWORD (push and a CI cell)', () =>
      figures.track('signed push (cosign key)', async (counters) => {
        const push = await nx(
          counters,
          'push (signed)',
          [
            'run',
            'relay:push',
            '--excludeTaskDependencies',
            `--registry=${basic.host}`,
            '--repository=sec/signed',
            `--sign-key=${signKey}`,
          ],
          { COSIGN_PASSWORD },
        );
        expect(push.code, push.output).toBe(0);
        expect(push.output).toMatch(/signed index +\S+\/sec\/signed:sha256-[0-9a-f]{64}\.sig/);
        const cell = await nx(
          counters,
          'cell (signed)',
          [
            'run',
            'relay:push--linux-arm64',
            `--registry=${basic.host}`,
            '--repository=sec/signed',
            `--sign-key=${signKey}`,
          ],
          { COSIGN_PASSWORD },
        );
        expect(cell.code, cell.output).toBe(0);
        expect(cell.output).toMatch(/signed linux\/arm64 /);
        counters.detail(
          'push and cell signed; the password was only in the environment of the nx process',
        );
      }));

    it('a missing or wrong COSIGN_PASSWORD is a one-line error before anything is pushed', () =>
      figures.track('missing/wrong cosign password', async (counters) => {
        const seed = createRegistryClient({
          registry: basic.host,
          credentials: { username: USER, password: PASSWORD },
        });
        const cases = [
          {
            label: 'missing',
            env: { COSIGN_PASSWORD: undefined },
            message:
              /COSIGN_PASSWORD is not set; export the key's password in COSIGN_PASSWORD \(it is never a flag\)/,
          },
          {
            label: 'wrong',
            env: { COSIGN_PASSWORD: WRONG_COSIGN_PASSWORD },
            message: /cannot decrypt the signing key: wrong password in COSIGN_PASSWORD/,
          },
        ];
        for (const { label, env, message } of cases) {
          const repository = `sec/unsigned-${label}`;
          const run = await nx(
            counters,
            `push (${label} cosign password)`,
            [
              'run',
              'relay:push',
              '--excludeTaskDependencies',
              `--registry=${basic.host}`,
              `--repository=${repository}`,
              `--sign-key=${signKey}`,
            ],
            env,
          );
          expect(run.code).not.toBe(0);
          counters.cleanFailure();
          const line = firstErrorLine(run.output);
          expect(line).toMatch(/^\[relay\] push failed: relay: /);
          expect(line).toContain(signKey);
          expect(line).toMatch(message);
          expect(run.output).not.toMatch(/pushing to|blobs:/);
          // Nothing reached the registry: the repository does not exist.
          await expect(seed.listTags(repository)).rejects.toMatchObject({ status: 404 });
          counters.detail(`${label}: ${line!.replace(signKey, '<key>')}`);
        }
      }));

    it('leaves no password, identity token or issued JWT in output, dist/ (layers decompressed) or .nx/', () =>
      figures.track('credential scan', async (counters) => {
        const hits: SecretHit[] = outputs.flatMap(({ label, text }) =>
          scanBytes(`nx output (${label})`, Buffer.from(text), secrets),
        );
        const dist = scanTree(join(ws.root, 'dist'), secrets, (path) =>
          path.replace(ws.root, '<workspace>'),
        );
        const nxDir = scanTree(join(ws.root, '.nx'), secrets, (path) =>
          path.replace(ws.root, '<workspace>'),
        );
        hits.push(...dist.hits, ...nxDir.hits);
        counters.detail(
          `scanned ${outputs.length} nx outputs, ${dist.files} files in dist/, ${nxDir.files} files in .nx/`,
        );
        if (hits.length > 0)
          counters.lost(hits.length, hits.map((hit) => `${hit.secret} in ${hit.where}`).join(', '));
        expect(hits).toEqual([]);
        expect(dist.files).toBeGreaterThan(10);
        // The scanner itself finds what it looks for: the Docker config holds the password and the token.
        expect(
          scanTree(dockerConfig, secrets)
            .hits.map((hit) => hit.secret)
            .sort(),
        ).toEqual(['Basic header value', 'identity token']);
        // The scan covers the signed pushes' records too (dist/push, dist/digests name the signature tags, never the password).
        expect(existsSync(join(ws.root, 'dist/digests/relay/linux-arm64.json'))).toBe(true);
        expect(nxDir.files).toBeGreaterThan(0);
      }));
  },
);
