import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';

// The glibc variant of the cgo sample: apps/notes for linux/arm64 with libc: glibc (a
// dynamically linked binary, compiled with zig against glibc), on the Debian-based glibc
// base (tools/scripts/build-glibc-base.sh: busybox-static + libc6 from Debian) passes the
// preflight and the smoke run; the same binary on scratch is refused, naming the loader.
const BASE = '127.0.0.1:5000/glibc-busybox:bookworm';
const LOADER = '/lib/ld-linux-aarch64.so.1';
const gate = toolGate(
  'cgo glibc end to end',
  ['go', 'git', 'file', 'skopeo', 'qemu-aarch64-static'],
  process.env,
);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

describe.skipIf(!gate.ok && !gate.ci)('cgo with libc: glibc on a Debian glibc base', () => {
  let ws: WorkspaceCopy;
  let smoke: { exitCode: number; output: string };
  const binary = () => join(ws.root, 'dist/bin/notes/linux/arm64/notes');

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    const base = await execa(
      'skopeo',
      ['inspect', '--raw', '--tls-verify=false', `docker://${BASE}`],
      { reject: false },
    );
    if (base.exitCode !== 0)
      throw new Error(`no ${BASE}; run tools/scripts/build-glibc-base.sh\n${base.stderr}`);
    ws = await copyWorkspace([], { withCgo: true });
    const path = join(ws.root, 'apps/notes/project.json');
    const project = JSON.parse(readFileSync(path, 'utf8'));
    Object.assign(project.targets.image.options, {
      platforms: ['linux/arm64'],
      libc: 'glibc',
      base: BASE,
    });
    project.targets.image.configurations = { scratch: { base: 'scratch' } };
    writeFileSync(path, JSON.stringify(project, null, 2));
    await ws.git(['commit', '-qam', 'notes: glibc on the Debian glibc base']);
    smoke = await ws.nx(['run', 'notes:smoke', '--outputStyle=static']);
  }, 1_200_000);
  afterAll(() => ws?.remove());

  it('builds a dynamically linked glibc binary that passes the preflight and the smoke run on the glibc base', async () => {
    expect(smoke.exitCode, smoke.output).toBe(0);
    expect(smoke.output).toMatch(/\[notes\] linux\/arm64 {2}compiled in .*\(cgo, zig, glibc\)/);
    expect(smoke.output).toContain('notes: smoke passed for 1 of 1 platform(s)');
    const file = (await execa('file', ['-b', binary()])).stdout;
    expect(file).toContain('ELF 64-bit LSB executable, ARM aarch64');
    expect(file).toContain(`dynamically linked, interpreter ${LOADER}`);
    expect((await execa('go', ['version', '-m', binary()])).stdout).toMatch(
      /\bbuild\s+CGO_ENABLED=1$/m,
    );
    const record = JSON.parse(readFileSync(join(ws.root, 'dist/smoke/notes.json'), 'utf8')) as {
      results: { status: string; firstLine: string }[];
    };
    expect(record.results[0]?.status).toBe('passed');
    expect(JSON.parse(record.results[0]!.firstLine)).toMatchObject({
      arch: 'arm64',
      selftest: 'ok',
    });
  });

  it('refuses the same binary on scratch, naming the missing loader', async () => {
    const run = await ws.nx(['run', 'notes:image:scratch', '--outputStyle=static']);
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain(
      `it is dynamically linked and needs the loader ${LOADER} (glibc), which the base image (scratch) does not have for linux/arm64`,
    );
    expect(run.output).toContain('libc: musl');
  });
});
