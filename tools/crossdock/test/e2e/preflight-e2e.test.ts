import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readElfFile } from '@crossdock/elf';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';

// A cgo app (os/user and net through glibc) built with the host's gcc against glibc (options cc
// and libc) links dynamically; on the scratch base its loader is missing, so
// `nx run <app>:image` must refuse it and write no image.
const MAIN = `package main

import (
	"fmt"
	"net"
	"os/user"
)

func main() {
	u, err := user.Current()
	if err != nil {
		fmt.Println("no user:", err)
		return
	}
	addrs, _ := net.LookupHost("localhost")
	fmt.Println(u.Username, addrs)
}
`;
const PROJECT = {
  name: 'cgoapp',
  projectType: 'application',
  sourceRoot: 'apps/cgoapp',
  targets: {
    image: { options: { platforms: ['linux/amd64'], cgo: true, cc: 'gcc', libc: 'glibc' } },
  },
};
const gate = toolGate('preflight end to end', ['go', 'gcc', 'git'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message} (gcc: apt-get install gcc)`);

describe.skipIf((!gate.ok && !gate.ci) || process.arch !== 'x64')(
  'nx run <cgo app>:image on scratch',
  () => {
    let ws: WorkspaceCopy;
    let run: { exitCode: number; output: string };

    beforeAll(async () => {
      if (!gate.ok) throw new Error(gate.message);
      ws = await copyWorkspace();
      mkdirSync(join(ws.root, 'apps/cgoapp'), { recursive: true });
      writeFileSync(join(ws.root, 'apps/cgoapp/main.go'), MAIN);
      writeFileSync(
        join(ws.root, 'apps/cgoapp/project.json'),
        `${JSON.stringify(PROJECT, null, 2)}\n`,
      );
      await ws.git(['add', '-A']);
      await ws.git(['commit', '-q', '-m', 'cgo app']);
      run = await ws.nx(['run', 'cgoapp:image', '--outputStyle=static']);
    });
    afterAll(() => ws?.remove());

    it('compiles a dynamically linked binary (the compile task succeeds)', async () => {
      const elf = await readElfFile(join(ws.root, 'dist/bin/cgoapp/linux/amd64/cgoapp'));
      expect(elf.interpreter).toBe('/lib64/ld-linux-x86-64.so.2');
    });

    it('refuses the image, naming the missing loader, the platform and both fixes', () => {
      expect(run.exitCode, run.output).not.toBe(0);
      expect(run.output).toContain('[cgoapp] image failed: cgoapp: refusing to ship');
      expect(run.output).toContain(
        'in the linux/amd64 image: it is dynamically linked and needs the loader /lib64/ld-linux-x86-64.so.2 (glibc), which the base image (scratch) does not have for linux/amd64',
      );
      expect(run.output).toContain('CGO_ENABLED=0');
      expect(run.output).toContain('use a base image that has glibc for linux/amd64');
    });

    it('writes nothing to dist/images/cgoapp (nor the build context)', () => {
      expect(existsSync(join(ws.root, 'dist/images/cgoapp'))).toBe(false);
      expect(existsSync(join(ws.root, 'dist/context/cgoapp'))).toBe(false);
    });

    // The base resolves while the binaries are checked (side by side): a base that cannot be
    // had is still the error reported, as when the preflight waited for it, and nothing is written.
    it('reports a base that cannot be resolved ahead of the preflight finding', async () => {
      const base = '127.0.0.1:5000/crossdock-test/no-such-base:latest';
      const withBase = {
        ...PROJECT,
        targets: { image: { options: { ...PROJECT.targets.image.options, base } } },
      };
      writeFileSync(
        join(ws.root, 'apps/cgoapp/project.json'),
        `${JSON.stringify(withBase, null, 2)}\n`,
      );
      const again = await ws.nx(['run', 'cgoapp:image', '--outputStyle=static']);
      expect(again.exitCode, again.output).not.toBe(0);
      expect(again.output).toContain(`[cgoapp] image failed: cgoapp: base image ${base}: `);
      expect(again.output).not.toContain('refusing to ship');
      expect(existsSync(join(ws.root, 'dist/images/cgoapp'))).toBe(false);
    });
  },
);
