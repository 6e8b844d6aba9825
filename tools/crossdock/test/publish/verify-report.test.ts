import { describe, expect, it } from 'vitest';
import { formatVerifyReport } from '../../src/cli/commands/verify';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const ok = (detail = 'ok') => ({ ok: true as const, detail });

describe('crossdock verify output', () => {
  it('is one row per manifest and a verdict', () => {
    const text = formatVerifyReport('r/hello', {
      digest: D('f'),
      ok: true,
      entries: [
        {
          platform: 'linux/amd64',
          digest: D('a'),
          signature: ok(),
          provenance: ok(),
          sbom: ok('SPDX + CycloneDX'),
        },
        { platform: 'index', digest: D('f'), signature: ok(), provenance: ok() },
      ],
    });
    expect(text.split('\n')).toEqual([
      'platform     digest               signature  provenance  sbom',
      '-----------  -------------------  ---------  ----------  ----------------',
      'linux/amd64  sha256:aaaaaaaaaaaa  ok         ok          SPDX + CycloneDX',
      'index        sha256:ffffffffffff  ok         ok          -',
      `verified: r/hello@${D('f')}: every manifest is signed with this key and has SLSA provenance`,
    ]);
  });

  it('lists every failed check with its reason', () => {
    const text = formatVerifyReport('r/hello', {
      digest: D('f'),
      ok: false,
      entries: [
        {
          platform: 'linux/arm64',
          digest: D('b'),
          signature: { ok: false, reason: 'no signature (no x.sig tag)' },
          provenance: ok(),
          sbom: { ok: false, reason: 'no SBOM' },
        },
      ],
    });
    expect(text).toContain('linux/arm64  sha256:bbbbbbbbbbbb  FAILED     ok          FAILED');
    expect(text).toContain('linux/arm64 signature: no signature (no x.sig tag)');
    expect(text).toContain('linux/arm64 sbom: no SBOM');
    expect(text).toMatch(/NOT verified: r\/hello@sha256:f+: 2 checks failed$/);
  });
});
