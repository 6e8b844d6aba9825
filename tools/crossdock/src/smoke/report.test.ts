import { describe, expect, it } from 'vitest';
import { smokeRecordJson, smokeTable, type SmokeReport } from './report';

const report: SmokeReport = {
  project: 'hello',
  indexDigest: 'sha256:abc',
  host: 'linux/amd64',
  smokeArgs: ['--version'],
  passed: true,
  results: [
    {
      platform: 'linux/amd64',
      mode: 'native',
      status: 'passed',
      exitCode: 0,
      durationMs: 21.4,
      firstLine: '{"arch":"amd64"}',
      command: '/r/usr/local/bin/hello --version',
    },
    {
      platform: 'linux/arm64',
      mode: 'emulated (qemu-aarch64-static)',
      status: 'passed',
      exitCode: 0,
      durationMs: 1234.5,
      firstLine: '{"arch":"arm64"}',
    },
    {
      platform: 'linux/s390x',
      mode: 'skipped',
      status: 'skipped',
      firstLine: '',
      message: 'no qemu-s390x-static on the PATH',
    },
  ],
};

describe('smokeTable', () => {
  it('has a summary, one row per platform (skips shown as such) and the reasons', () => {
    const lines = smokeTable(report).split('\n');
    expect(lines[0]).toBe(
      'hello: smoke passed for 2 of 3 platform(s), 1 SKIPPED (host linux/amd64)',
    );
    expect(lines[1]).toMatch(/^platform\s+run\s+result\s+exit\s+time\s+first output line$/);
    expect(lines[3]).toMatch(/^linux\/amd64\s+native\s+passed\s+0\s+21ms\s+\{"arch":"amd64"\}$/);
    expect(lines[4]).toMatch(
      /^linux\/arm64\s+emulated \(qemu-aarch64-static\)\s+passed\s+0\s+1\.2s\s+\{"arch":"arm64"\}$/,
    );
    expect(lines[5]).toMatch(/^linux\/s390x\s+skipped\s+skipped\s+-\s+-$/);
    expect(lines[6]).toBe('SKIPPED linux/s390x: no qemu-s390x-static on the PATH');
  });

  it('says FAILED, and shortens long first lines', () => {
    const failed: SmokeReport = {
      ...report,
      passed: false,
      results: [
        {
          platform: 'linux/arm64',
          mode: 'emulated (qemu-aarch64-static)',
          status: 'failed',
          exitCode: 1,
          durationMs: 5,
          firstLine: 'x'.repeat(100),
          message: 'exited with code 1',
        },
      ],
    };
    const text = smokeTable(failed);
    expect(text).toContain('hello: smoke FAILED for 1 of 1 platform(s)');
    expect(text).toContain(` FAILED  1 `);
    expect(text).toContain(`${'x'.repeat(69)}...`);
    expect(text).toContain('FAILED linux/arm64: exited with code 1');
  });
});

describe('smokeRecordJson', () => {
  it('writes the same data in a fixed key order with whole milliseconds', () => {
    const record = JSON.parse(smokeRecordJson(report));
    expect(Object.keys(record)).toEqual([
      'project',
      'indexDigest',
      'host',
      'smokeArgs',
      'passed',
      'results',
    ]);
    expect(record.results[0]).toEqual({
      platform: 'linux/amd64',
      mode: 'native',
      status: 'passed',
      exitCode: 0,
      durationMs: 21,
      firstLine: '{"arch":"amd64"}',
      command: '/r/usr/local/bin/hello --version',
    });
    expect(record.results[2]).toEqual({
      platform: 'linux/s390x',
      mode: 'skipped',
      status: 'skipped',
      firstLine: '',
      message: 'no qemu-s390x-static on the PATH',
    });
    expect(smokeRecordJson(report).endsWith('}\n')).toBe(true);
  });
});
