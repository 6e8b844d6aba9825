import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatPlatform,
  parsePlatform,
  platformFromNode,
  type Platform,
} from '@crossdock/platform';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import { dockerGate, TEST_DOCKER } from './docker-gate';

// The seed scenario: push hello (6 platforms) to the shared test registry, then let Docker
// pull each platform by itself. With qemu-user-static registered in binfmt_misc, every
// platform's entrypoint runs and reports its own architecture; a pull without --platform
// gets the host's.
const REGISTRY = '127.0.0.1:5000';
const REFERENCE = `${REGISTRY}/hello:latest`;
const PLATFORMS = [
  'linux/amd64',
  'linux/arm64',
  'linux/arm/v7',
  'linux/ppc64le',
  'linux/s390x',
  'linux/riscv64',
].map(parsePlatform);
const gate = dockerGate('seed scenario (push, then docker run per platform)', [
  'go',
  'git',
  'curl',
  'qemu-aarch64-static',
  'qemu-arm-static',
  'qemu-ppc64le-static',
  'qemu-s390x-static',
  'qemu-riscv64-static',
]);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

/** `docker run --rm --pull always [--platform P] REFERENCE --version`, parsed, and the ID of the image it pulled. */
async function pullAndRun(
  platform?: Platform,
): Promise<{ info: Record<string, string>; imageId: string }> {
  const args = [
    'run',
    '--rm',
    '--pull',
    'always',
    ...(platform ? ['--platform', formatPlatform(platform)] : []),
    REFERENCE,
    '--version',
  ];
  const run = await execa(TEST_DOCKER, args, { reject: false });
  expect(run.exitCode, `docker ${args.join(' ')}\n${run.stderr}`).toBe(0);
  const imageId = (
    await execa(TEST_DOCKER, ['image', 'inspect', '--format', '{{.Id}}', REFERENCE])
  ).stdout.trim();
  return { info: JSON.parse(run.stdout), imageId };
}

describe.skipIf(!gate.ok && !gate.ci)(
  `seed scenario: nx run hello:push --registry=${REGISTRY}, then docker run per platform`,
  () => {
    let ws: WorkspaceCopy;
    let push: { exitCode: number; output: string };
    const pulledImages = new Set<string>();

    beforeAll(async () => {
      if (!gate.ok) throw new Error(gate.message);
      const registry = await execa('curl', ['-fsS', '--max-time', '5', `http://${REGISTRY}/v2/`], {
        reject: false,
      });
      if (registry.exitCode !== 0)
        throw new Error(
          `the test registry does not answer on http://${REGISTRY}/v2/; run tools/scripts/setup-engines.sh`,
        );
      ws = await copyWorkspace();
      push = await ws.nx(['run', 'hello:push', `--registry=${REGISTRY}`, '--outputStyle=static']);
    });
    afterAll(async () => {
      await execa(TEST_DOCKER, ['rmi', REFERENCE], { reject: false });
      if (pulledImages.size > 0)
        await execa(TEST_DOCKER, ['rmi', ...pulledImages], { reject: false });
      ws?.remove();
    });

    it('pushes the six-platform index', () => {
      expect(push.exitCode, push.output).toBe(0);
    });

    it.each(PLATFORMS.map((p) => [formatPlatform(p), p] as const))(
      'docker run --pull always --platform %s reports that architecture',
      async (_name, platform) => {
        const { info, imageId } = await pullAndRun(platform);
        pulledImages.add(imageId);
        expect({ os: info.os, arch: info.arch, variant: info.variant }).toEqual({
          os: platform.os,
          arch: platform.architecture,
          variant: platform.variant ?? '',
        });
      },
    );

    it("a pull without --platform gets the host's architecture", async () => {
      const host = platformFromNode(process.arch, process.platform);
      const { info, imageId } = await pullAndRun();
      pulledImages.add(imageId);
      expect(info.arch).toBe(host.architecture);
      const platform = (
        await execa(TEST_DOCKER, [
          'image',
          'inspect',
          '--format',
          '{{.Os}}/{{.Architecture}}',
          REFERENCE,
        ])
      ).stdout.trim();
      expect(platform).toBe(`${host.os}/${host.architecture}`);
    });
  },
);
