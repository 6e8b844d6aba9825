import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { ZIG_VERSION } from '../../../src/go/cgo/zig';
import { REPO_ROOT } from '../../../../scripts/testing/workspace-copy';
import { toolGate } from '../../../../../libs/test-support/src/tool-gate';

// The on-demand zig install a fresh machine gets: `crossdock c-toolchain --install` into an
// empty CROSSDOCK_CACHE, twice at once (as parallel compile tasks would), from PyPI for real.
// PATH holds no zig, so the install cannot be skipped.
const gate = toolGate('zig install', ['python3'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);
const CLI = join(REPO_ROOT, 'tools/crossdock/bin/crossdock.js');

describe.skipIf(!gate.ok && !gate.ci)('crossdock c-toolchain --install (zig from PyPI)', () => {
  const cache = mkdtempSync(join(tmpdir(), 'crossdock-zig-cache-'));
  const env = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/root',
    CROSSDOCK_CACHE: cache,
    PYTHON: process.env['PYTHON'] ?? 'python3',
  };
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  it(
    'installs the pinned zig once, atomically, while a second caller waits',
    { timeout: 600_000 },
    async () => {
      if (!gate.ok) throw new Error(gate.message);
      // python3 may live outside the minimal PATH (pyenv): give its directory.
      const python = (await execa('sh', ['-c', 'command -v python3'])).stdout.trim();
      const path = `${python.slice(0, python.lastIndexOf('/'))}:${env.PATH}`;
      const run = () =>
        execa('node', [CLI, 'c-toolchain', '--install'], {
          env: { ...env, PATH: path },
          extendEnv: false,
          cwd: REPO_ROOT,
          reject: false,
        });
      const [first, second] = await Promise.all([run(), run()]);
      for (const result of [first, second]) expect(result.exitCode, result.stderr).toBe(0);
      const zig = join(cache, `zig-${ZIG_VERSION}`, 'zig');
      expect(first.stdout.trim()).toBe(zig);
      expect(second.stdout.trim()).toBe(zig);
      const progress = `${first.stderr}\n${second.stderr}`;
      expect(progress).toContain(`installing zig ${ZIG_VERSION} (PyPI ziglang==${ZIG_VERSION}`);
      expect(progress.match(/crossdock: installing zig/g)).toHaveLength(1);
      expect(progress).toContain('waiting for another process installing zig');
      expect((await execa(zig, ['version'])).stdout.trim()).toBe(ZIG_VERSION);
      expect(existsSync(join(cache, `zig-${ZIG_VERSION}`, 'lib', 'libc', 'musl'))).toBe(true);
      // Nothing half-done is left: no temporary folders, no lock.
      expect(readdirSync(cache).sort()).toEqual([`zig-${ZIG_VERSION}`]);
      // The identity the compile targets hash: the same before and after, without installing.
      expect(
        (
          await execa('node', [CLI, 'c-toolchain'], {
            env: { ...env, PATH: path },
            extendEnv: false,
            cwd: REPO_ROOT,
          })
        ).stdout.trim(),
      ).toBe(`zig ${ZIG_VERSION}`);
    },
  );
});
