import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cloneWorkspace,
  copyWorkspace,
  REPO_ROOT,
  type WorkspaceCopy,
} from '../../../scripts/testing/workspace-copy';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';

const gate = toolGate('reproducible images', ['go', 'git'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

/** Every blob of a layout, layers decompressed, keyed by digest. */
function layoutBlobs(layout: string): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  for (const hex of readdirSync(join(layout, 'blobs/sha256'))) {
    const bytes = readFileSync(join(layout, 'blobs/sha256', hex));
    blobs.set(`sha256:${hex}`, bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes);
  }
  return blobs;
}

describe.skipIf(!gate.ok && !gate.ci)(
  'the same commit built in two clones, with empty Nx and Go caches',
  () => {
    let first: WorkspaceCopy;
    let second: WorkspaceCopy;
    const goCaches = [
      mkdtempSync(join(tmpdir(), 'crossdock-gocache-a-')),
      mkdtempSync(join(tmpdir(), 'crossdock-gocache-b-')),
    ];

    beforeAll(async () => {
      if (!gate.ok) throw new Error(gate.message);
      first = await copyWorkspace();
      second = await cloneWorkspace(first);
      // relay (2 platforms) keeps the cold Go builds short; hello takes the same path.
      const a = await first.nx(['run', 'relay:image', '--outputStyle=static'], {
        GOCACHE: goCaches[0],
      });
      expect(a.exitCode, a.output).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 1100)); // a different wall-clock second
      const b = await second.nx(['run', 'relay:image', '--outputStyle=static'], {
        GOCACHE: goCaches[1],
      });
      expect(b.exitCode, b.output).toBe(0);
    }, 600_000);
    afterAll(() => {
      first?.remove();
      second?.remove();
      for (const dir of goCaches) rmSync(dir, { recursive: true, force: true });
    });

    it('gives byte-identical index and manifest digests', () => {
      const indexA = readFileSync(join(first.root, 'dist/images/relay/index.json'), 'utf8');
      const indexB = readFileSync(join(second.root, 'dist/images/relay/index.json'), 'utf8');
      expect(indexB).toBe(indexA);
      const blobsA = layoutBlobs(join(first.root, 'dist/images/relay'));
      const blobsB = layoutBlobs(join(second.root, 'dist/images/relay'));
      expect([...blobsB.keys()].sort()).toEqual([...blobsA.keys()].sort());
      expect(readFileSync(join(first.root, 'dist/sbom/relay/linux-arm64.spdx.json'), 'utf8')).toBe(
        readFileSync(join(second.root, 'dist/sbom/relay/linux-arm64.spdx.json'), 'utf8'),
      );
    });

    it('puts no absolute path of the build machine into any layer, config or binary', () => {
      // With a trailing slash, so /root (root's home in /etc/passwd) is not mistaken for a build path.
      const machinePaths = [
        first.root,
        second.root,
        REPO_ROOT,
        homedir(),
        ...goCaches,
        '/usr/local/go',
      ].map((path) => `${path}/`);
      for (const [digest, bytes] of layoutBlobs(join(second.root, 'dist/images/relay'))) {
        for (const path of machinePaths) {
          expect(bytes.includes(Buffer.from(path)), `${path} found in blob ${digest}`).toBe(false);
        }
      }
    });
  },
);
