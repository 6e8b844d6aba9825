import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatPlatform,
  parsePlatform,
  platformFromNode,
  type Platform,
} from '@crossdock/platform';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { processRunner } from '../../src/support/process/runner';
import type { Reporter } from '../../src/support/report/reporter';
import { findProgram } from '../../src/smoke/find-program';
import { smokeTable, type PlatformSmokeResult, type SmokeReport } from '../../src/smoke/report';
import { SmokeError } from '../../src/smoke/smoke-error';
import { smokeImage, type SmokeRequest } from '../../src/smoke/smoke-image';
import {
  buildProbe,
  PROBE_ENV,
  probeImage,
  writeProbeLayout,
  type ProbeMode,
} from './smoke-fixtures';

// The smoke core against real artefacts: Go binaries cross-compiled per architecture, packed
// into small OCI layouts with @crossdock/oci, run natively or under qemu-user by the real runner.
const SAMPLE_EXPECT = '"os":"{os}","arch":"{arch}","variant":"{variant}"';
const PATH_WITH_GO = `${process.env.PATH ?? ''}:/usr/local/go/bin`;
const gate = toolGate('smoke core tests', ['go', 'qemu-aarch64-static', 'qemu-arm-static'], {
  ...process.env,
  PATH: PATH_WITH_GO,
});
const host = platformFromNode(process.arch, process.platform);
const [amd64, arm64, armV7, armV6] = [
  'linux/amd64',
  'linux/arm64',
  'linux/arm/v7',
  'linux/arm/v6',
].map(parsePlatform) as [Platform, Platform, Platform, Platform];

/** A reporter that keeps its lines, to check what a user would see. */
function recordingReporter(): Reporter & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    step: (m) => lines.push(m),
    warn: (m) => lines.push(`WARNING: ${m}`),
    block: (t) => lines.push(t),
  };
}

if (!gate.ok && gate.ci) {
  it('smoke core tests need go and qemu-user-static', () => {
    throw new Error(
      `${gate.message}; install Go and qemu-user-static (tools/scripts/setup-engines.sh)`,
    );
  });
} else if (!gate.ok) {
  console.warn(
    `SKIPPING: ${gate.message}; install Go and qemu-user-static (tools/scripts/setup-engines.sh)`,
  );
  it.skip('smoke core tests (go or qemu-user-static missing)', () => undefined);
} else {
  describe('smokeImage with real binaries and OCI layouts', () => {
    let work = '';
    const bin = new Map<string, string>();
    const binary = (platform: Platform, mode: ProbeMode) =>
      bin.get(`${formatPlatform(platform)}:${mode}`)!;
    const go = findProgram('go', PATH_WITH_GO)!;

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'crossdock-smoke-test-'));
      const builds: [Platform, ProbeMode][] = [
        [amd64, 'ok'],
        [arm64, 'ok'],
        [armV7, 'ok'],
        [amd64, 'exit1'],
        [amd64, 'hang'],
        [arm64, 'wrong'],
      ];
      for (const [platform, mode] of builds)
        bin.set(`${formatPlatform(platform)}:${mode}`, await buildProbe(go, work, platform, mode));
    }, 240_000);
    afterAll(() => rm(work, { recursive: true, force: true }));

    /** A layout of probe images: each platform with its binary on top of the exit1 one (replaced by the upper layer). */
    async function layout(name: string, images: readonly [Platform, string][]): Promise<string> {
      const lower = binary(amd64, 'exit1');
      return writeProbeLayout(
        join(work, 'layouts', name),
        await Promise.all(images.map(([p, b]) => probeImage(p, b, lower))),
      );
    }

    function request(
      layoutDir: string,
      platforms: readonly Platform[],
      overrides: Partial<SmokeRequest> = {},
    ): SmokeRequest & { reporter: ReturnType<typeof recordingReporter> } {
      return {
        project: 'probe',
        layoutDir,
        platforms,
        smokeArgs: ['--version'],
        smokeExpect: SAMPLE_EXPECT,
        timeoutMs: 30_000,
        host,
        ci: false,
        findProgram: (name) => findProgram(name, process.env.PATH),
        runner: processRunner,
        scratchDir: work,
        ...overrides,
        reporter: recordingReporter(),
      };
    }
    const only = (report: SmokeReport): PlatformSmokeResult => {
      expect(report.results).toHaveLength(1);
      return report.results[0]!;
    };

    it('passes amd64, arm64 and arm/v7: native for the host, qemu (with -cpu) otherwise, on the assembled rootfs with the image Env only', async () => {
      const dir = await layout('good', [
        [amd64, binary(amd64, 'ok')],
        [arm64, binary(arm64, 'ok')],
        [armV7, binary(armV7, 'ok')],
      ]);
      const req = request(dir, [amd64, arm64, armV7]);
      const report = await smokeImage(req);
      expect(report.passed, smokeTable(report)).toBe(true);
      expect(report.results.map((r) => [r.platform, r.status, r.exitCode])).toEqual([
        ['linux/amd64', 'passed', 0],
        ['linux/arm64', 'passed', 0],
        ['linux/arm/v7', 'passed', 0],
      ]);
      const modes = Object.fromEntries(report.results.map((r) => [r.platform, r.mode]));
      if (formatPlatform(host) === 'linux/amd64') {
        expect(modes).toEqual({
          'linux/amd64': 'native',
          'linux/arm64': 'emulated (qemu-aarch64-static)',
          'linux/arm/v7': 'emulated (qemu-arm-static -cpu cortex-a7)',
        });
      }
      for (const result of report.results) {
        const printed = JSON.parse(result.firstLine) as {
          arch: string;
          variant: string;
          args: string[];
          env: string[];
        };
        expect(printed.args).toEqual(['--version']);
        // Exactly the image config's Env: nothing of this machine's environment leaks in.
        expect(printed.env).toEqual([...PROBE_ENV].sort());
        expect(result.expect).toBe(
          `"os":"linux","arch":"${printed.arch}","variant":"${printed.variant}"`,
        );
      }
      expect(report.results[2]!.command).toMatch(
        /qemu-arm-static -L \S+ -cpu cortex-a7 \S+\/usr\/local\/bin\/probe --version$/,
      );
      expect(req.reporter.lines.join('\n')).toMatch(
        /linux\/arm64 {2}emulated \(qemu-aarch64-static\) {2}passed/,
      );
      expect(report.indexDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    });

    it('fails a binary that exits 1, with its exit code and stderr', async () => {
      const report = await smokeImage(
        request(await layout('exit1', [[amd64, binary(amd64, 'exit1')]]), [amd64]),
      );
      expect(report.passed).toBe(false);
      const result = only(report);
      expect(result).toMatchObject({
        status: 'failed',
        exitCode: 1,
        firstLine: 'probe: failing on purpose',
      });
      expect(result.message).toBe(
        'the entrypoint exited with code 1, expected 0; it printed:\nprobe: failing on purpose',
      );
      expect(smokeTable(report)).toContain('FAILED linux/amd64: the entrypoint exited with code 1');
    });

    it('fails an arm64 binary that prints another architecture, naming expected and actual', async () => {
      const report = await smokeImage(
        request(await layout('wrong', [[arm64, binary(arm64, 'wrong')]]), [arm64]),
      );
      expect(report.passed).toBe(false);
      const result = only(report);
      expect(result).toMatchObject({
        status: 'failed',
        exitCode: 0,
        firstLine: '{"os":"linux","arch":"amd64","variant":""}',
      });
      expect(result.message).toContain(
        'the output does not match smokeExpect: expected /"os":"linux","arch":"arm64","variant":""/',
      );
      expect(result.message).toContain(
        'got "{\\"os\\":\\"linux\\",\\"arch\\":\\"amd64\\",\\"variant\\":\\"\\"}"',
      );
    });

    it('a GOARM=7 binary in a linux/arm/v6 image dies on the v6 CPU qemu is given', async () => {
      const report = await smokeImage(
        request(await layout('v7-as-v6', [[armV6, binary(armV7, 'ok')]]), [armV6], {
          smokeExpect: '',
        }),
      );
      const result = only(report);
      expect(result.mode).toBe('emulated (qemu-arm-static -cpu arm1176)');
      expect(result).toMatchObject({ status: 'failed', exitCode: 132 });
      expect(result.message).toContain('the entrypoint was killed by SIGILL');
    });

    it('fails a program that does not exit within the timeout', async () => {
      const report = await smokeImage(
        request(await layout('hang', [[amd64, binary(amd64, 'hang')]]), [amd64], {
          timeoutMs: 1_000,
        }),
      );
      const result = only(report);
      expect(result.status).toBe('failed');
      expect(result.exitCode).toBeUndefined();
      expect(result.message).toContain('did not exit within 1 s (smokeTimeoutSeconds)');
    });

    it('fails a platform the image index does not have', async () => {
      const report = await smokeImage(
        request(await layout('amd64-only', [[amd64, binary(amd64, 'ok')]]), [
          amd64,
          parsePlatform('linux/s390x'),
        ]),
      );
      expect(report.results.map((r) => r.status)).toEqual(['passed', 'failed']);
      expect(report.results[1]!.message).toBe(
        'the image index has no linux/s390x manifest (it has linux/amd64); rebuild it: nx run probe:image',
      );
    });

    it('without qemu: skips the foreign platform loudly and passes locally; fails it under CI=true', async () => {
      const dir = await layout('no-qemu', [
        [amd64, binary(amd64, 'ok')],
        [arm64, binary(arm64, 'ok')],
      ]);
      const local = request(dir, [amd64, arm64], {
        host: parsePlatform('linux/amd64'),
        findProgram: () => undefined,
      });
      const report = await smokeImage(local);
      expect(report.passed).toBe(true);
      expect(report.results.map((r) => [r.platform, r.mode, r.status])).toEqual([
        ['linux/amd64', 'native', 'passed'],
        ['linux/arm64', 'skipped', 'skipped'],
      ]);
      expect(local.reporter.lines).toContain(
        'WARNING: linux/arm64: SKIPPED, not smoke-tested: no qemu-aarch64-static on the PATH to emulate linux/arm64 on this linux/amd64 host; install qemu-user-static (Debian/Ubuntu: apt-get install qemu-user-static)',
      );
      expect(smokeTable(report)).toContain('1 SKIPPED');

      const ci = await smokeImage(
        request(dir, [amd64, arm64], {
          host: parsePlatform('linux/amd64'),
          findProgram: () => undefined,
          ci: true,
        }),
      );
      expect(ci.passed).toBe(false);
      expect(ci.results[1]).toMatchObject({ status: 'failed', mode: 'not run' });
      expect(ci.results[1]!.message).toContain('CI=true');
    });

    it('refuses a missing layout, saying to build the image', async () => {
      const error = await smokeImage(request(join(work, 'nowhere'), [amd64])).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SmokeError);
      expect((error as Error).message).toMatch(
        /^probe: cannot read the image at .*nowhere: .*; build it first: nx run probe:image$/s,
      );
    });
  });
}
