import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatPlatform,
  parsePlatform,
  platformFromNode,
  platformPath,
  qemuUserStaticBinary,
} from '@crossdock/platform';
import {
  cloneWorkspace,
  copyWorkspace,
  type WorkspaceCopy,
} from '../../../scripts/testing/workspace-copy';
import { dockerGate, TEST_DOCKER } from './docker-gate';
import { editImageOptions } from './workspace-edits';
import { taskOutcomes } from './nx-output';

// The cgo sample (apps/notes: SQLite through mattn/go-sqlite3) end to end in a workspace
// copy: cross-compiled with zig (no emulation) for 4 platforms (the host, 64-bit ARM, 32-bit
// hard-float ARM with its -mcpu, big-endian s390x), checked with independent clients (file,
// go version -m), smoke-run with --selftest under qemu-user, pushed to the test registry and
// run with docker run --platform for arm64 and arm/v7. ppc64le and riscv64 cost CI two more
// C library and SQLite builds (minutes on 2 cores) and prove the same path again: outside CI,
// CROSSDOCK_E2E_CGO_ALL=1 runs all 6 (docs/cgo.md records the last run).
const PLATFORMS =
  process.env['CROSSDOCK_E2E_CGO_ALL'] === '1'
    ? [
        'linux/amd64',
        'linux/arm64',
        'linux/arm/v7',
        'linux/ppc64le',
        'linux/s390x',
        'linux/riscv64',
      ]
    : ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/s390x'];
const FILE_MACHINE: Record<string, string> = {
  amd64: 'ELF 64-bit LSB executable, x86-64',
  arm64: 'ELF 64-bit LSB executable, ARM aarch64',
  arm: 'ELF 32-bit LSB executable, ARM, EABI5',
  ppc64le: 'ELF 64-bit LSB executable, 64-bit PowerPC',
  s390x: 'ELF 64-bit MSB executable, IBM S/390',
  riscv64: 'ELF 64-bit LSB executable, UCB RISC-V',
};
const REGISTRY = '127.0.0.1:5000';
const host = formatPlatform(platformFromNode(process.arch, process.platform));
const qemu = [
  ...new Set(
    PLATFORMS.filter((p) => p !== host).map((p) => qemuUserStaticBinary(parsePlatform(p))),
  ),
];
const gate = dockerGate('cgo end to end', ['go', 'git', 'file', 'skopeo', ...qemu]);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

describe.skipIf(!gate.ok && !gate.ci)('cgo: apps/notes with zig for every platform', () => {
  let ws: WorkspaceCopy;
  let smoke: { exitCode: number; output: string };
  const repository = `crossdock-e2e/notes-${randomBytes(4).toString('hex')}`;
  const binary = (platform: string, root = ws.root) =>
    join(root, 'dist/bin/notes', platformPath(parsePlatform(platform)), 'notes');

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    ws = await copyWorkspace([], { withCgo: true });
    editImageOptions(ws.root, 'apps/notes', (options) => ({ ...options, platforms: PLATFORMS }));
    smoke = await ws.nx(['run', 'notes:smoke', '--outputStyle=static']);
    // Cold caches: zig builds its C library per target and Go the SQLite amalgamation per platform.
  }, 1_800_000);
  afterAll(() => ws?.remove());

  it('compiles, assembles and smoke-runs --selftest (one SQLite row) on every platform', () => {
    expect(smoke.exitCode, smoke.output).toBe(0);
    for (const platform of PLATFORMS)
      expect(smoke.output).toMatch(
        new RegExp(
          `\\[notes\\] ${platform.replaceAll('/', '\\/')} {2}compiled in .*\\(cgo, zig, musl\\)`,
        ),
      );
    expect(smoke.output).toContain(
      `notes: smoke passed for ${PLATFORMS.length} of ${PLATFORMS.length} platform(s) (host ${host})`,
    );
    const record = JSON.parse(readFileSync(join(ws.root, 'dist/smoke/notes.json'), 'utf8')) as {
      results: { platform: string; status: string; firstLine: string }[];
    };
    expect(record.results.map((r) => [r.platform, r.status])).toEqual(
      PLATFORMS.map((p) => [p, 'passed']),
    );
    for (const result of record.results) {
      const line = JSON.parse(result.firstLine) as Record<string, string>;
      const platform = parsePlatform(result.platform);
      expect(line).toMatchObject({
        name: 'notes',
        arch: platform.architecture,
        variant: platform.variant ?? '',
        selftest: 'ok',
        sqlite: expect.stringMatching(/^3\./),
      });
    }
  });

  it.each(PLATFORMS)(
    '%s: file says the right machine and statically linked; go version -m says CGO_ENABLED=1',
    async (platform) => {
      const file = (await execa('file', ['-b', binary(platform)])).stdout;
      expect(file).toContain(FILE_MACHINE[parsePlatform(platform).architecture]);
      expect(file).toContain('statically linked');
      expect(file).not.toContain('interpreter');
      const info = (await execa('go', ['version', '-m', binary(platform)])).stdout;
      expect(info).toMatch(/\bbuild\s+CGO_ENABLED=1$/m);
      expect(info).toMatch(
        new RegExp(`\\bbuild\\s+GOARCH=${parsePlatform(platform).architecture}$`, 'm'),
      );
      expect(info).toMatch(/\bdep\s+github\.com\/mattn\/go-sqlite3\s+v1\./m);
    },
  );

  it(
    'leaves no path of this machine in the binaries, and a clone elsewhere compiles the same bytes',
    { timeout: 600_000 },
    async () => {
      const clone = await cloneWorkspace(ws);
      try {
        const run = await clone.nx(['run', 'notes:compile--linux-arm64', '--outputStyle=static']);
        expect(run.exitCode, run.output).toBe(0);
        expect(
          readFileSync(binary('linux/arm64', clone.root)).equals(
            readFileSync(binary('linux/arm64')),
          ),
        ).toBe(true);
        for (const platform of PLATFORMS) {
          const text = readFileSync(binary(platform)).toString('latin1');
          for (const leak of [ws.root, '/var/cache/crossdock', '/root/', '/tmp/go-build', '/home/'])
            expect(text.includes(leak), `${platform} contains ${leak}`).toBe(false);
        }
      } finally {
        clone.remove();
      }
    },
  );

  it('is cached on a second run: nothing recompiles', { timeout: 300_000 }, async () => {
    const again = await ws.nx(['run', 'notes:smoke', '--outputStyle=static']);
    expect(again.exitCode, again.output).toBe(0);
    expect(taskOutcomes(again.output).ran).toEqual([]);
  });

  it(
    'pushes the index; docker run --platform passes --selftest for linux/arm64 and linux/arm/v7',
    { timeout: 600_000 },
    async () => {
      const push = await ws.nx([
        'run',
        'notes:push',
        `--registry=${REGISTRY}`,
        `--repository=${repository}`,
        '--outputStyle=static',
      ]);
      expect(push.exitCode, push.output).toBe(0);
      const raw = JSON.parse(
        (
          await execa('skopeo', [
            'inspect',
            '--raw',
            '--tls-verify=false',
            `docker://${REGISTRY}/${repository}:latest`,
          ])
        ).stdout,
      ) as {
        manifests: { platform: { os: string; architecture: string; variant?: string } }[];
      };
      expect(raw.manifests.map((m) => formatPlatform(m.platform))).toEqual(PLATFORMS);
      const reference = `${REGISTRY}/${repository}:latest`;
      try {
        for (const platform of ['linux/arm64', 'linux/arm/v7']) {
          const run = await execa(
            TEST_DOCKER,
            ['run', '--rm', '--pull', 'always', '--platform', platform, reference, '--selftest'],
            { reject: false },
          );
          expect(run.exitCode, run.stderr).toBe(0);
          const line = JSON.parse(run.stdout) as Record<string, string>;
          expect(line).toMatchObject({
            arch: parsePlatform(platform).architecture,
            variant: parsePlatform(platform).variant ?? '',
            selftest: 'ok',
          });
        }
      } finally {
        await execa(TEST_DOCKER, ['image', 'rm', '--force', reference], { reject: false });
      }
    },
  );
});
