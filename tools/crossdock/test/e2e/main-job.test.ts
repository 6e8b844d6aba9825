import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatPlatform,
  parsePlatform,
  qemuUserStaticBinary,
  type Platform,
} from '@crossdock/platform';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { taskOutcomes } from './nx-output';

const HELLO_PLATFORMS = [
  'linux/amd64',
  'linux/arm64',
  'linux/arm/v7',
  'linux/ppc64le',
  'linux/s390x',
  'linux/riscv64',
].map(parsePlatform);
const qemuPrograms = HELLO_PLATFORMS.filter((p) => p.architecture !== 'amd64').map(
  qemuUserStaticBinary,
);
const gate = toolGate(
  'main job end to end',
  ['go', 'git', 'skopeo', 'file', 'tar', ...qemuPrograms],
  process.env,
);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

describe.skipIf(!gate.ok && !gate.ci)(
  'nx run-many -t image on the sample apps (builtin engine)',
  () => {
    let ws: WorkspaceCopy;
    let firstRun: { exitCode: number; output: string };
    const scratch = mkdtempSync(join(tmpdir(), 'crossdock-main-job-'));

    beforeAll(async () => {
      if (!gate.ok) throw new Error(gate.message);
      ws = await copyWorkspace();
      firstRun = await ws.nx(['run-many', '-t', 'image', '--outputStyle=static']);
    });
    afterAll(() => {
      ws?.remove();
      rmSync(scratch, { recursive: true, force: true });
    });

    it('builds both apps, printing progress per platform and a summary table', () => {
      expect(firstRun.exitCode, firstRun.output).toBe(0);
      expect(firstRun.output).toMatch(/\[hello\] linux\/riscv64 {2}compiled in/);
      expect(firstRun.output).toMatch(/\[relay\] linux\/arm64 {2}image assembled in/);
      expect(firstRun.output).toMatch(/platform\s+binary\s+image\s+time\s+manifest digest/);
      // The builtin engine assembles the layers itself: no Docker context is written.
      expect(existsSync(join(ws.root, 'dist/context'))).toBe(false);
    });

    it('writes the Docker build context for a hand-off with nx run <app>:context, from the cached compiles', async () => {
      const run = await ws.nx(['run', 'hello:context', '--outputStyle=static']);
      expect(run.exitCode, run.output).toBe(0);
      expect(taskOutcomes(run.output).ran).toEqual(['hello:context']);
      expect(run.output).toContain('[hello] build context written: dist/context/hello');
      const context = join(ws.root, 'dist/context/hello');
      expect(readFileSync(join(context, 'Dockerfile'), 'utf8')).toContain(
        'FROM --platform=$BUILDPLATFORM scratch AS rootfs',
      );
      // The binaries the images hold, byte for byte.
      expect(readFileSync(join(context, 'bin/linux/arm/v7/hello'))).toEqual(
        readFileSync(join(ws.root, 'dist/bin/hello/linux/arm/v7/hello')),
      );
      expect(readdirSync(join(context, 'rootfs')).length).toBeGreaterThan(0);
    });

    it('writes an OCI layout whose index skopeo reads with every configured platform', async () => {
      const raw = JSON.parse(
        (await execa('skopeo', ['inspect', '--raw', `oci:${join(ws.root, 'dist/images/hello')}`]))
          .stdout,
      );
      expect(raw.mediaType).toBe('application/vnd.oci.image.index.v1+json');
      expect(
        raw.manifests.map(
          (m: { platform: { os: string; architecture: string; variant?: string } }) =>
            formatPlatform(m.platform),
        ),
      ).toEqual(HELLO_PLATFORMS.map(formatPlatform));
    });

    it.each(HELLO_PLATFORMS.map((p) => [formatPlatform(p), p] as const))(
      '%s: skopeo copies it out; the config, ELF header and a qemu run all say the right architecture',
      async (name, platform) => {
        const out = join(scratch, name.replaceAll('/', '-'));
        const overrides = [
          '--override-os',
          platform.os,
          '--override-arch',
          platform.architecture,
          ...(platform.variant ? ['--override-variant', platform.variant] : []),
        ];
        await execa('skopeo', [
          'copy',
          ...overrides,
          `oci:${join(ws.root, 'dist/images/hello')}`,
          `dir:${out}`,
        ]);
        const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
        const config = JSON.parse(
          readFileSync(join(out, manifest.config.digest.slice('sha256:'.length)), 'utf8'),
        );
        expect({
          os: config.os,
          architecture: config.architecture,
          variant: config.variant,
        }).toEqual({ ...platform, variant: platform.variant });
        expect(config.config.User).toBe('65532:65532');
        expect(config.config.Entrypoint).toEqual(['/usr/local/bin/hello']);

        // Take the binary out of the layer with GNU tar, independently of crossdock's reader.
        const layer = join(out, manifest.layers[0].digest.slice('sha256:'.length));
        const listing = (await execa('tar', ['-tvzf', layer, '--numeric-owner'])).stdout;
        expect(listing).toMatch(/-rwxr-xr-x 0\/0 .* usr\/local\/bin\/hello$/m);
        await execa('tar', ['-xzf', layer, '-C', out, 'usr/local/bin/hello']);
        const binary = join(out, 'usr/local/bin/hello');
        const fileOutput = (await execa('file', ['-b', binary])).stdout;
        expect(fileOutput).toContain('statically linked');
        expect(fileOutput).toContain(FILE_MACHINE[platform.architecture]);

        const run =
          platform.architecture === 'amd64'
            ? await execa(binary, ['--version'])
            : await execa(qemuUserStaticBinary(platform), [binary, '--version']);
        const info = JSON.parse(run.stdout);
        expect({ os: info.os, arch: info.arch, variant: info.variant }).toEqual(
          expectedInfo(platform),
        );
        expect(info.version).toBe('1.0.0');
      },
    );

    it('runs nothing on a second run without changes', async () => {
      const run = await ws.nx(['run-many', '-t', 'image', '--outputStyle=static']);
      expect(run.exitCode, run.output).toBe(0);
      const outcomes = taskOutcomes(run.output);
      expect(outcomes.ran.filter((task) => !task.endsWith(':compile'))).toEqual([]);
      expect(outcomes.cached).toHaveLength(10);
    });

    it('rebuilds both apps when a file of libs/go/buildinfo changes', async () => {
      appendFileSync(
        join(ws.root, 'libs/go/buildinfo/buildinfo.go'),
        '\n// touched by the e2e test\n',
      );
      const run = await ws.nx(['run-many', '-t', 'image', '--outputStyle=static']);
      expect(run.exitCode, run.output).toBe(0);
      // Every compile of both apps runs again (and both images: their inputs are the compiles' inputs).
      const ran = taskOutcomes(run.output).ran.filter((task) => task.includes(':compile--'));
      expect(ran).toEqual(
        [
          ...HELLO_PLATFORMS.map((p) => `hello:compile--${slug(p)}`),
          'relay:compile--linux-amd64',
          'relay:compile--linux-arm64',
        ].sort(),
      );
    });

    it('rebuilds only relay when apps/relay changes', async () => {
      const relayMain = readdirSync(join(ws.root, 'apps/relay')).find(
        (f) => f.endsWith('.go') && !f.endsWith('_test.go'),
      )!;
      appendFileSync(join(ws.root, 'apps/relay', relayMain), '\n// touched by the e2e test\n');
      const run = await ws.nx(['run-many', '-t', 'image', '--outputStyle=static']);
      expect(run.exitCode, run.output).toBe(0);
      const outcomes = taskOutcomes(run.output);
      expect(outcomes.ran.filter((task) => task.includes(':compile--'))).toEqual([
        'relay:compile--linux-amd64',
        'relay:compile--linux-arm64',
      ]);
      expect(
        outcomes.ran.filter((task) => task.startsWith('hello:') && !task.endsWith(':compile')),
      ).toEqual([]);
    });

    // The image starts beside its compiles and takes each binary as its compile ends: when one
    // fails, what it did with the others stays in its own directories and dist/ is untouched.
    it('leaves the last image, context and SBOMs as they were when one platform fails to compile', async () => {
      const dirs = ['dist/images/hello', 'dist/context/hello', 'dist/sbom/hello'];
      const snapshot = () => dirs.map((dir) => treeOf(join(ws.root, dir)));
      const before = snapshot();
      const broken = join(ws.root, 'apps/hello/broken_s390x.go');
      writeFileSync(broken, 'package main\n\nvar broken int = "only on s390x"\n');
      try {
        const run = await ws.nx([
          'run-many',
          '-t',
          'image,context',
          '-p',
          'hello',
          '--outputStyle=static',
        ]);
        expect(run.exitCode, run.output).not.toBe(0);
        expect(run.output).toContain('[hello] not run: hello:compile--linux-s390x failed');
        const ran = taskOutcomes(run.output).ran;
        expect(ran).toContain('hello:compile--linux-s390x');
        expect(snapshot()).toEqual(before);
        expect(readdirSync(join(ws.root, 'dist/context'))).toEqual(['hello']);
        // The layout's draft (layers written while the others compiled) is gone too.
        expect(readdirSync(join(ws.root, 'dist/images')).sort()).toEqual(['hello', 'relay']);
      } finally {
        rmSync(broken);
      }
    });
  },
);

/** Every file under `dir` (relative path, size and modification time), sorted. */
function treeOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((path) => {
      const stats = statSync(join(dir, path));
      return `${path} ${stats.size} ${stats.mtimeMs}`;
    })
    .sort();
}

/** What `file -b` calls each architecture. */
const FILE_MACHINE: Record<string, string> = {
  amd64: 'x86-64',
  arm64: 'ARM aarch64',
  arm: 'ARM, EABI5',
  ppc64le: '64-bit PowerPC',
  s390x: 'IBM S/390',
  riscv64: 'RISC-V',
};

function expectedInfo(platform: Platform) {
  return { os: platform.os, arch: platform.architecture, variant: platform.variant ?? '' };
}

function slug(platform: Platform): string {
  return formatPlatform(platform).replaceAll('/', '-');
}
