import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// The compile cache every entry stub turns on (scripts/compile-cache.js): a directory Node
// loads code from, so only ever this user's own, and passed on to the processes Nx starts.
const MODULE = join(__dirname, '../../scripts/compile-cache.js');
// The plugin as Nx loads it (the entry stub, then the bundle): its preTasksExecution hook.
const PLUGIN = join(__dirname, '../../build/index.js');
const uid = process.getuid!();
const scratch: string[] = [];

function withCache(env: Record<string, string>): string {
  const { NODE_COMPILE_CACHE: _unset, ...parent } = process.env;
  return execFileSync(
    process.execPath,
    ['-e', `require(${JSON.stringify(MODULE)}); console.log(process.env.NODE_COMPILE_CACHE ?? '')`],
    { env: { ...parent, ...env }, encoding: 'utf8' },
  ).trim();
}

function newTmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-cc-test-'));
  scratch.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the plugin's compile cache", () => {
  it('uses a private directory of this user, never the shared default, and passes it on', () => {
    const tmp = newTmp();
    const dir = withCache({ TMPDIR: tmp });
    expect(dir).toBe(join(tmp, `crossdock-${uid}`, 'compile-cache'));
    expect(statSync(join(tmp, `crossdock-${uid}`)).mode & 0o777).toBe(0o700);
    expect(statSync(dir).isDirectory()).toBe(true);
  });

  it('turns itself off when that directory is open to others (someone else could plant code)', () => {
    const tmp = newTmp();
    mkdirSync(join(tmp, `crossdock-${uid}`));
    chmodSync(join(tmp, `crossdock-${uid}`), 0o777);
    expect(withCache({ TMPDIR: tmp })).toBe('');
  });

  it("keeps the directory the user or Nx chose, and NODE_DISABLE_COMPILE_CACHE's no", () => {
    const tmp = newTmp();
    const chosen = join(tmp, 'mine');
    expect(withCache({ TMPDIR: tmp, NODE_COMPILE_CACHE: chosen })).toBe(chosen);
    expect(withCache({ TMPDIR: tmp, NODE_DISABLE_COMPILE_CACHE: '1' })).toBe('');
  });

  // Nx's daemon takes each command's environment, so what the plugin put in process.env when
  // it loaded is gone by the time the hook runs: the hook asks Node for the directory.
  it('passes the directory to the task processes through preTasksExecution, also after the environment was replaced', () => {
    const tmp = newTmp();
    const hook = (env: Record<string, string>, before = '') => {
      const { NODE_COMPILE_CACHE: _unset, ...parent } = process.env;
      return execFileSync(
        process.execPath,
        [
          '-e',
          `const plugin = require(${JSON.stringify(PLUGIN)}); ${before}; plugin.preTasksExecution(); console.log(process.env.NODE_COMPILE_CACHE ?? '')`,
        ],
        { env: { ...parent, ...env }, encoding: 'utf8' },
      ).trim();
    };
    const own = join(tmp, `crossdock-${uid}`, 'compile-cache');
    expect(hook({ TMPDIR: tmp })).toBe(own);
    // The daemon dropped the variable: Node still knows the cache this process uses.
    expect(hook({ TMPDIR: tmp }, 'delete process.env.NODE_COMPILE_CACHE')).toMatch(
      new RegExp(`^${own}/v\\d`),
    );
    // A directory the command names wins; NODE_DISABLE_COMPILE_CACHE passes nothing.
    const chosen = join(tmp, 'mine');
    expect(
      hook({ TMPDIR: tmp }, `process.env.NODE_COMPILE_CACHE = ${JSON.stringify(chosen)}`),
    ).toBe(chosen);
    expect(
      hook(
        { TMPDIR: tmp },
        `delete process.env.NODE_COMPILE_CACHE; process.env.NODE_DISABLE_COMPILE_CACHE = '1'`,
      ),
    ).toBe('');
  });
});
