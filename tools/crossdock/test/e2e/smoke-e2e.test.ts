import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatPlatform,
  parsePlatform,
  platformFromNode,
  qemuUserStaticBinary,
} from '@crossdock/platform';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { taskOutcomes } from './nx-output';

// `nx run-many -t smoke` on the sample apps in a workspace copy: every platform of both apps
// runs from its image's root filesystem, natively or under qemu-user.
const APPS = {
  hello: [
    'linux/amd64',
    'linux/arm64',
    'linux/arm/v7',
    'linux/ppc64le',
    'linux/s390x',
    'linux/riscv64',
  ],
  relay: ['linux/amd64', 'linux/arm64'],
} as const;
const host = formatPlatform(platformFromNode(process.arch, process.platform));
const qemuPrograms = [
  ...new Set(
    APPS.hello.filter((p) => p !== host).map((p) => qemuUserStaticBinary(parsePlatform(p))),
  ),
];
const gate = toolGate('smoke end to end', ['go', 'git', ...qemuPrograms], process.env);
if (!gate.ok && !gate.ci)
  console.warn(`SKIPPED: ${gate.message} (qemu: apt-get install qemu-user-static)`);

interface SmokeRecord {
  project: string;
  passed: boolean;
  host: string;
  results: {
    platform: string;
    mode: string;
    status: string;
    exitCode: number;
    firstLine: string;
  }[];
}

describe.skipIf(!gate.ok && !gate.ci)('nx run-many -t smoke on the sample apps', () => {
  let ws: WorkspaceCopy;
  let firstRun: { exitCode: number; output: string };

  beforeAll(async () => {
    if (!gate.ok) throw new Error(gate.message);
    ws = await copyWorkspace();
    firstRun = await ws.nx(['run-many', '-t', 'smoke', '--outputStyle=static']);
  });
  afterAll(() => ws?.remove());

  it('passes every platform of both apps and prints a table per project', () => {
    expect(firstRun.exitCode, firstRun.output).toBe(0);
    expect(firstRun.output).toContain(`hello: smoke passed for 6 of 6 platform(s) (host ${host})`);
    expect(firstRun.output).toContain(`relay: smoke passed for 2 of 2 platform(s) (host ${host})`);
    expect(firstRun.output).toMatch(/platform\s+run\s+result\s+exit\s+time\s+first output line/);
    for (const [app, platforms] of Object.entries(APPS)) {
      for (const platform of platforms) {
        const mode =
          platform === host
            ? 'native'
            : `emulated \\(${qemuUserStaticBinary(parsePlatform(platform))}`;
        expect(firstRun.output).toMatch(
          new RegExp(
            `^${platform.replaceAll('/', '\\/')}\\s+${mode}.*\\s+passed\\s+0\\s+\\S+\\s+\\{"name":"${app}"`,
            'm',
          ),
        );
      }
    }
  });

  it.each(Object.entries(APPS))(
    'writes dist/smoke/%s.json with every platform passed and its reported arch',
    (app, platforms) => {
      const record = JSON.parse(
        readFileSync(join(ws.root, 'dist/smoke', `${app}.json`), 'utf8'),
      ) as SmokeRecord;
      expect(record).toMatchObject({ project: app, passed: true, host });
      expect(record.results.map((r) => [r.platform, r.status, r.exitCode])).toEqual(
        platforms.map((p) => [p, 'passed', 0]),
      );
      for (const result of record.results) {
        const platform = parsePlatform(result.platform);
        const info = JSON.parse(result.firstLine) as { os: string; arch: string; variant: string };
        expect({ os: info.os, arch: info.arch, variant: info.variant }).toEqual({
          os: 'linux',
          arch: platform.architecture,
          variant: platform.variant ?? '',
        });
        expect(result.mode).toEqual(
          result.platform === host ? 'native' : expect.stringMatching(/^emulated \(qemu-/),
        );
      }
    },
  );

  it('is cached without changes, and reruns (smoke only) when CI changes', async () => {
    const again = await ws.nx(['run-many', '-t', 'smoke', '--outputStyle=static']);
    expect(again.exitCode, again.output).toBe(0);
    expect(taskOutcomes(again.output).ran).toEqual([]);
    const ci = await ws.nx(['run-many', '-t', 'smoke', '--outputStyle=static'], {
      CI: process.env.CI === 'true' ? 'false' : 'true',
    });
    expect(ci.exitCode, ci.output).toBe(0);
    // Nx colours its task lines under CI=true even with --outputStyle=static.
    expect(taskOutcomes(ci.output.replace(/\x1b\[[0-9;]*m/g, '')).ran).toEqual([
      'hello:smoke',
      'relay:smoke',
    ]);
  });

  it('fails when the output does not say the expected platform (smokeExpect from the command line)', async () => {
    // Nx's argument parser drops double quotes, so the pattern uses '.' for them.
    const run = await ws.nx([
      'run',
      'relay:smoke',
      '--outputStyle=static',
      '--smokeExpect=.arch.:.mips64le.',
    ]);
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain('relay: smoke FAILED for 2 of 2 platform(s)');
    expect(run.output).toContain(
      'FAILED linux/arm64: the output does not match smokeExpect: expected /.arch.:.mips64le./, got "{\\"name\\":\\"relay\\"',
    );
    const record = JSON.parse(
      readFileSync(join(ws.root, 'dist/smoke/relay.json'), 'utf8'),
    ) as SmokeRecord;
    expect(record.passed).toBe(false);
  });
});
