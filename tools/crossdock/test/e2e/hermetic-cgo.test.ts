import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintDockerfileText } from '@crossdock/dockerfile';
import { readOciLayout } from '@crossdock/oci-layout';
import { type ImageIndex } from '@crossdock/oci';
import { readImageFile } from '@crossdock/oci-layout';
import {
  copyWorkspace,
  REPO_ROOT,
  type WorkspaceCopy,
} from '../../../scripts/testing/workspace-copy';
import { dockerGate } from './docker-gate';
import { editImageOptions } from './workspace-edits';

// The hermetic Dockerfile with cgo: apps/notes for linux/arm64 compiled inside BuildKit (a
// $BUILDPLATFORM stage, so no emulation) with the Go+zig builder image made from the same
// pieces as the host build (tools/scripts/build-go-zig-image.sh), then smoke-run.
const gate = dockerGate('hermetic cgo end to end', [
  'go',
  'git',
  'file',
  'skopeo',
  'jq',
  'qemu-aarch64-static',
]);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

describe.skipIf(!gate.ok && !gate.ci)(
  'hermetic Dockerfile with cgo (zig in the builder image)',
  () => {
    let ws: WorkspaceCopy;
    let goImage = '';
    let smoke: { exitCode: number; output: string };
    let index: ImageIndex;
    const scratch = mkdtempSync(join(tmpdir(), 'crossdock-hermetic-cgo-'));

    beforeAll(async () => {
      if (!gate.ok) throw new Error(gate.message);
      goImage = (await execa(join(REPO_ROOT, 'tools/scripts/build-go-zig-image.sh'), [])).stdout
        .trim()
        .split('\n')
        .pop()!;
      ws = await copyWorkspace([], { withCgo: true });
      editImageOptions(ws.root, 'apps/notes', (options) => ({
        ...options,
        platforms: ['linux/arm64'],
        engine: 'docker',
        dockerfile: 'hermetic',
        goImage,
      }));
      smoke = await ws.nx(['run', 'notes:smoke', '--outputStyle=static']);
      if (smoke.exitCode === 0)
        index = await (
          await readOciLayout(join(ws.root, 'dist/images/notes'))
        ).resolveIndex('latest');
    }, 1_200_000);
    afterAll(() => {
      ws?.remove();
      rmSync(scratch, { recursive: true, force: true });
    });

    it('compiles C with zig inside BuildKit on the build platform and passes the preflight and --selftest', () => {
      expect(smoke.exitCode, smoke.output).toBe(0);
      expect(smoke.output).toContain(
        `[notes] hermetic Dockerfile: go build runs inside BuildKit on the build platform (${goImage})`,
      );
      expect(smoke.output).toContain('notes: smoke passed for 1 of 1 platform(s)');
      const dockerfile = readFileSync(join(ws.root, 'dist/context/notes/Dockerfile'), 'utf8');
      expect(dockerfile).toContain('--mount=type=cache,target=/root/.cache/zig');
      expect(dockerfile).toContain('CC="zig cc $ZT"');
      expect(lintDockerfileText(dockerfile)).toEqual([]);
    });

    it('puts a static arm64 binary with CGO_ENABLED=1 in the image (file, go version -m)', async () => {
      const bytes = await readImageFile(index.images[0]!, 'usr/local/bin/notes');
      const path = join(scratch, 'notes');
      writeFileSync(path, Buffer.from(bytes!));
      const file = (await execa('file', ['-b', path])).stdout;
      expect(file).toContain('ELF 64-bit LSB executable, ARM aarch64');
      expect(file).toContain('statically linked');
      expect((await execa('go', ['version', '-m', path])).stdout).toMatch(
        /\bbuild\s+CGO_ENABLED=1$/m,
      );
    });
  },
);
