import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { lintDockerfileText, renderDockerfile } from '@crossdock/dockerfile';
import { collectGoSources } from '../../src/image/go-sources';
import { parseGoDirective } from '../../src/go/modules';
import {
  generateHermeticDockerfile,
  hermeticBuildCommand,
  hermeticBuildOf,
  shellWord,
} from '../../src/image/hermetic-dockerfile';
import { makePlan } from '../../src/image/make-plan';
import { normalizeOptions } from '../../src/options/normalize-options';
import { OptionsError } from '../../src/options/options-error';
import { writeWorkspace } from '../workspace-fixture';

const hermeticOptions = {
  platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
  engine: 'docker',
  dockerfile: 'hermetic',
  goImage: '127.0.0.1:5000/golang:{goVersion}',
  version: '1.0.0',
  ldflags: ['-s', '-w', '-X main.version={version}', "-X 'main.note=it''s'"],
  ports: [8080],
};

function hermeticPlan() {
  const options = normalizeOptions('hello', [{ source: 'test', values: hermeticOptions }]);
  const plan = makePlan({
    workspaceRoot: '/w',
    project: 'hello',
    options,
    provenance: { epoch: 0 },
    base: { name: 'scratch' },
    shared: { passwd: '', group: '', caBundle: '' },
  });
  return { options, plan };
}

describe('the hermetic Dockerfile', () => {
  it('compiles in a $BUILDPLATFORM stage with cache mounts, copies in a $BUILDPLATFORM stage, and passes the emulation lint', () => {
    const { options, plan } = hermeticPlan();
    const text = renderDockerfile(
      generateHermeticDockerfile(
        plan,
        'scratch',
        hermeticBuildOf('hello', options, 'apps/hello', '1.26'),
      ),
    );
    expect(text).toContain(
      'FROM --platform=$BUILDPLATFORM 127.0.0.1:5000/golang:1.26 AS build\nARG TARGETOS\nARG TARGETARCH\nARG TARGETVARIANT\nCOPY src/ /src/\nWORKDIR /src/apps/hello\n',
    );
    expect(text).toContain(
      'RUN --mount=type=cache,target=/root/.cache/go-build \\\n    --mount=type=cache,target=/go/pkg/mod \\\n    case "$TARGETARCH" in arm) export GOARM="${TARGETVARIANT#v}" ;;',
    );
    expect(text).toContain(
      'FROM --platform=$BUILDPLATFORM scratch AS rootfs\nCOPY --from=build /out/hello /usr/local/bin/hello\nCOPY rootfs/ /\n',
    );
    expect(text).toMatch(
      /\nFROM scratch\nCOPY --from=rootfs \/ \/\n[^]*ENTRYPOINT \["\/usr\/local\/bin\/hello"\]\n$/,
    );
    expect(text.match(/^RUN /gm)).toHaveLength(1);
    expect(lintDockerfileText(text, 'Dockerfile')).toEqual([]);
  });

  it.each([
    ['amd64', '', 'GOOS=linux GOARCH=amd64 GOARM= GOAMD64=v1'],
    ['amd64', 'v3', 'GOOS=linux GOARCH=amd64 GOARM= GOAMD64=v3'],
    ['arm', 'v7', 'GOOS=linux GOARCH=arm GOARM=7 GOAMD64='],
    ['arm', 'v6', 'GOOS=linux GOARCH=arm GOARM=6 GOAMD64='],
    ['arm64', '', 'GOOS=linux GOARCH=arm64 GOARM= GOAMD64='],
    ['riscv64', '', 'GOOS=linux GOARCH=riscv64 GOARM= GOAMD64='],
  ])(
    "in sh, TARGETARCH=%s TARGETVARIANT=%j gives %s, CGO off and the host compile's arguments",
    async (arch, variant, expected) => {
      const { options } = hermeticPlan();
      const bin = mkdtempSync(join(tmpdir(), 'crossdock-fake-go-'));
      try {
        // A stand-in for go that prints the environment it got and its arguments, one per line.
        writeFileSync(
          join(bin, 'go'),
          '#!/bin/sh\necho "GOOS=$GOOS GOARCH=$GOARCH GOARM=$GOARM GOAMD64=$GOAMD64"\necho "CGO_ENABLED=$CGO_ENABLED GOTOOLCHAIN=$GOTOOLCHAIN GOCACHE=$GOCACHE"\nfor a in "$@"; do echo "$a"; done\n',
        );
        chmodSync(join(bin, 'go'), 0o755);
        const command = hermeticBuildCommand(
          hermeticBuildOf('hello', options, 'apps/hello', '1.26'),
          'hello',
        );
        const { stdout } = await execa('/bin/sh', ['-c', command], {
          env: {
            PATH: `${bin}:/usr/bin:/bin`,
            TARGETOS: 'linux',
            TARGETARCH: arch,
            TARGETVARIANT: variant,
          },
          extendEnv: false,
        });
        expect(stdout.split('\n')).toEqual([
          expected,
          'CGO_ENABLED=0 GOTOOLCHAIN=local GOCACHE=/root/.cache/go-build',
          'build',
          '-trimpath',
          '-buildvcs=false',
          "-ldflags=-s -w -X main.version=1.0.0 -X 'main.note=it''s'",
          '-o',
          '/out/hello',
          '.',
        ]);
      } finally {
        rmSync(bin, { recursive: true, force: true });
      }
    },
  );

  it.each([
    ['-trimpath', '-trimpath'],
    ['-ldflags=-s -w', "'-ldflags=-s -w'"],
    ["it's", "'it'\\''s'"],
    ['$HOME', "'$HOME'"],
  ])('shellWord(%j) is %s', (word, quoted) => {
    expect(shellWord(word)).toBe(quoted);
  });

  it('needs a go directive to fill {goVersion}', () => {
    const { options } = hermeticPlan();
    expect(() => hermeticBuildOf('hello', options, 'apps/hello', undefined)).toThrow(
      /goImage "127.0.0.1:5000\/golang:\{goVersion\}" uses \{goVersion\}, but the go.mod of apps\/hello has no go directive/,
    );
    expect(
      hermeticBuildOf(
        'hello',
        { ...options, goImage: 'golang:1.26-bookworm' },
        'apps/hello',
        undefined,
      ).goImage,
    ).toBe('golang:1.26-bookworm');
  });

  it.each([
    [{ dockerfile: 'hermetic' }, /needs engine: docker/],
    [
      { dockerfile: 'hermetic', engine: 'docker', cgo: true, cc: '{triple}-gcc' },
      /leave cc empty or use dockerfile: prebuilt/,
    ],
    [{ dockerfile: 'inline' }, /must be one of prebuilt, hermetic/],
    [{ goImage: 'golang 1.26' }, /is not an image reference/],
  ])('rejects %j', (values, message) => {
    expect(() => normalizeOptions('hello', [{ source: 'test', values }])).toThrow(OptionsError);
    expect(() => normalizeOptions('hello', [{ source: 'test', values }])).toThrow(message);
  });
});

describe('the hermetic cgo build', () => {
  const cgoOptions = () =>
    normalizeOptions('notes', [
      { source: 'test', values: { ...hermeticOptions, cgo: true, cgoCflags: ['-O2'] } },
    ]);

  it('mounts a zig cache and runs zig with the target of each platform, in sh', async () => {
    const options = cgoOptions();
    const build = hermeticBuildOf('notes', options, 'apps/notes', '1.26');
    const plan = makePlan({
      workspaceRoot: '/w',
      project: 'notes',
      options,
      provenance: { epoch: 0 },
      base: { name: 'scratch' },
      shared: { passwd: '', group: '', caBundle: '' },
    });
    const text = renderDockerfile(generateHermeticDockerfile(plan, 'scratch', build));
    expect(text).toContain('--mount=type=cache,target=/root/.cache/zig');
    expect(lintDockerfileText(text, 'Dockerfile')).toEqual([]);
    const bin = mkdtempSync(join(tmpdir(), 'crossdock-fake-go-'));
    try {
      writeFileSync(
        join(bin, 'go'),
        '#!/bin/sh\necho "CGO_ENABLED=$CGO_ENABLED CC=$CC CGO_CFLAGS=$CGO_CFLAGS ZIG=$ZIG_GLOBAL_CACHE_DIR"\nfor a in "$@"; do echo "$a"; done\n',
      );
      chmodSync(join(bin, 'go'), 0o755);
      const run = (arch: string, variant: string) =>
        execa('/bin/sh', ['-c', hermeticBuildCommand(build, 'notes')], {
          env: {
            PATH: `${bin}:/usr/bin:/bin`,
            TARGETOS: 'linux',
            TARGETARCH: arch,
            TARGETVARIANT: variant,
          },
          extendEnv: false,
          reject: false,
        });
      const arm = await run('arm', 'v7');
      expect(arm.stdout.split('\n')[0]).toBe(
        'CGO_ENABLED=1 CC=zig cc -target arm-linux-musleabihf -mcpu=generic+v7a+vfp3d16-neon-d32 CGO_CFLAGS=-O2 ZIG=/root/.cache/zig',
      );
      expect(arm.stdout).toContain(
        "-ldflags=-s -w -X main.version=1.0.0 -X 'main.note=it''s' -linkmode=external -extldflags '-static -s'",
      );
      expect((await run('arm64', '')).stdout.split('\n')[0]).toContain(
        'CC=zig cc -target aarch64-linux-musl ',
      );
      const other = await run('s390x', '');
      expect(other.exitCode).toBe(1);
      expect(other.stderr).toContain('crossdock: no zig target for s390x/');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe('collectGoSources', () => {
  const root = writeWorkspace({
    'go.mod': 'module example.com/ws\n\ngo 1.26\n',
    'go.sum': '',
    'apps/hello/main.go': 'package main\n',
    'apps/hello/main_test.go': 'package main\n',
    'apps/hello/static/index.html': '<html>',
    'apps/hello/testdata/golden.txt': 'x',
    'apps/hello/.env': 'SECRET=1',
    'apps/hello/project.json': '{}',
    'libs/go/buildinfo/buildinfo.go': 'package buildinfo\n',
    'libs/go/unused/unused.go': 'package unused\n',
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("takes the module files and the closure's package files, without tests, testdata or hidden files", async () => {
    const sources = await collectGoSources(root, 'apps/hello', ['apps/hello', 'libs/go/buildinfo']);
    expect(sources).toEqual({
      files: [
        'apps/hello/main.go',
        'apps/hello/project.json',
        'apps/hello/static/index.html',
        'go.mod',
        'go.sum',
        'libs/go/buildinfo/buildinfo.go',
      ],
      goVersion: '1.26',
    });
  });

  it.each([
    ['module m\n\ngo 1.26\n', '1.26'],
    ['module m\ngo 1.22.3\ntoolchain go1.23.1\n', '1.22.3'],
    ['module m\n', undefined],
  ])('the go directive of %j is %s', (text, version) => {
    expect(parseGoDirective(text)).toBe(version);
  });
});
