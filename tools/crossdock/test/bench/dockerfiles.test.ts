import { describe, expect, it } from 'vitest';
import { parseDockerfile, lintEmulation } from '@crossdock/dockerfile';
import { shellQuote, type AppBuild } from '../../../scripts/bench/go-flags';
import { golangDockerfile } from '../../../scripts/bench/golang-images';
import { naiveDockerfile } from '../../../scripts/bench/naive-build';

const hello: AppBuild = {
  project: 'hello',
  platforms: ['linux/arm64'],
  version: '1.0.0',
  ldflags: ['-s', '-w', '-X example.com/buildinfo.Version={version}'],
  buildTags: [],
  main: '.',
};

describe('bench Dockerfiles', () => {
  it.each([
    ['-trimpath', '-trimpath'],
    ['-ldflags=-s -w', `'-ldflags=-s -w'`],
    ["it's", `'it'\\''s'`],
    ['./apps/hello', './apps/hello'],
  ])('shellQuote(%s) = %s', (word, quoted) => expect(shellQuote(word)).toBe(quoted));

  it('the naive Dockerfile compiles with crossdock flags in a target-platform stage', () => {
    const text = naiveDockerfile('127.0.0.1:5000/crossdock-bench/golang:1.26.8', hello);
    expect(text).toContain('FROM 127.0.0.1:5000/crossdock-bench/golang:1.26.8 AS build\n');
    expect(text).toContain(
      `RUN CGO_ENABLED=0 GOCACHE=/tmp/gocache go build -trimpath -buildvcs=false '-ldflags=-s -w -X example.com/buildinfo.Version=1.0.0' -o /out/hello ./apps/hello\n`,
    );
    expect(text).toContain('COPY --from=build /out/hello /usr/local/bin/hello\n');
    // The point of the naive build: crossdock's own lint sees the emulated RUN.
    const findings = lintEmulation(parseDockerfile(text));
    expect(findings.length).toBeGreaterThan(0);
  });

  it('the golang image is busybox plus the toolchain, with no toolchain downloads', () => {
    expect(golangDockerfile('127.0.0.1:5000/busybox:latest', { GOARM: '7' }).split('\n')).toEqual([
      'FROM 127.0.0.1:5000/busybox:latest',
      'COPY . /usr/local/go',
      'ENV PATH=/usr/local/go/bin:/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'ENV GOPATH=/go',
      'ENV GOTOOLCHAIN=local',
      'ENV GOARM=7',
      'WORKDIR /go',
      '',
    ]);
  });
});
