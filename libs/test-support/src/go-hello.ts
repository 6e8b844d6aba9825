import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

export const GO = '/usr/local/go/bin/go';
export const SKOPEO = '/usr/bin/skopeo';
export const SYSTEM_TAR = '/usr/bin/tar';

/** A Go target platform: GOOS, GOARCH and optional GOARM. */
export interface GoTarget {
  readonly os: string;
  readonly arch: string;
  readonly arm?: string;
}

/**
 * Cross-compiles a tiny static Go program that prints "hello from <os>/<arch>" for each
 * target into `dir`, returning the binary paths in target order (a real artefact per
 * architecture, as the images crossdock builds hold).
 */
export async function buildGoHello(dir: string, targets: readonly GoTarget[]): Promise<string[]> {
  const src = join(dir, 'src');
  await mkdir(src, { recursive: true });
  await writeFile(join(src, 'go.mod'), 'module example.com/hello\n\ngo 1.22\n');
  await writeFile(
    join(src, 'main.go'),
    'package main\n\nimport (\n\t"fmt"\n\t"runtime"\n)\n\nfunc main() { fmt.Printf("hello from %s/%s\\n", runtime.GOOS, runtime.GOARCH) }\n',
  );
  const outputs: string[] = [];
  for (const t of targets) {
    const out = join(
      dir,
      'bin',
      `${t.os}-${t.arch}${t.arm === undefined ? '' : `-v${t.arm}`}`,
      'hello',
    );
    await execa(GO, ['build', '-trimpath', '-ldflags=-s -w', '-o', out, '.'], {
      cwd: src,
      env: {
        GOOS: t.os,
        GOARCH: t.arch,
        CGO_ENABLED: '0',
        GOTOOLCHAIN: 'local',
        GOFLAGS: '-mod=mod',
        ...(t.arm === undefined ? {} : { GOARM: t.arm }),
      },
    });
    outputs.push(out);
  }
  return outputs;
}
