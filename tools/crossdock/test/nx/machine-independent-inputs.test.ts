import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutPaths } from '../../src/cli/commands/c-toolchain';
import { compileInputs } from '../../src/nx/nodes/compile-inputs';
import { BUILTIN_GZIP_INPUT } from '../../src/nx/nodes/targets';

// No input prints a path: the same commit checked out at two places, with a directory beside
// each (a local replace), gives the same runtime inputs and the same outputs of them.

const scratch = mkdtempSync(join(tmpdir(), 'crossdock-inputs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A checkout at `dir/ws` with a replaced module at `dir/shared`. */
function checkout(dir: string) {
  const ws = join(scratch, dir, 'ws');
  const shared = join(scratch, dir, 'shared');
  mkdirSync(ws, { recursive: true });
  mkdirSync(join(shared, 'sub'), { recursive: true });
  writeFileSync(join(ws, 'main.go'), 'package main\n');
  writeFileSync(join(shared, 'lib.go'), 'package shared\n');
  writeFileSync(join(shared, 'sub', 'x.go'), 'package sub\n');
  const inputs = compileInputs(ws, {
    packageDirs: [ws, shared],
    files: [join(ws, 'main.go'), join(shared, 'lib.go'), join(shared, 'sub', 'x.go')],
    globs: [],
  });
  return { ws, inputs };
}

const runtime = (inputs: readonly unknown[]) =>
  inputs.flatMap((i) =>
    typeof i === 'object' && i !== null && 'runtime' in i
      ? [(i as { runtime: string }).runtime]
      : [],
  );

describe('runtime inputs that print no machine path', () => {
  it('hashes a directory outside the workspace from a relative path, by relative names', () => {
    const a = checkout('a/deeper');
    const b = checkout('b');
    expect(runtime(a.inputs)).toEqual(runtime(b.inputs));
    for (const command of runtime(a.inputs)) expect(command).not.toContain(scratch);
    const outputs = [a, b].map(({ ws, inputs }) =>
      runtime(inputs).map((command) =>
        execFileSync('/bin/sh', ['-c', command], { cwd: ws }).toString(),
      ),
    );
    expect(outputs[0]).toEqual(outputs[1]);
    expect(outputs[0]!.join('')).not.toMatch(/^e3b0c442/m); // not the hash of nothing
  });

  it("prints the Node's zlib and architecture for the builtin engine, not the binary's path", () => {
    const out = execFileSync('/bin/sh', ['-c', BUILTIN_GZIP_INPUT]).toString().trim();
    expect(out).toBe(`zlib ${process.versions.zlib} ${process.arch}`);
  });

  it("drops clang's install paths from a compiler's --version", () => {
    const clang = [
      'Debian clang version 14.0.6',
      'Target: x86_64-pc-linux-gnu',
      'Thread model: posix',
      'InstalledDir: /usr/lib/llvm-14/bin',
    ].join('\n');
    expect(withoutPaths(clang)).toBe(
      'Debian clang version 14.0.6\nTarget: x86_64-pc-linux-gnu\nThread model: posix',
    );
  });
});
