import { describe, expect, it } from 'vitest';
import { formatFinding, lintDockerfileText, lintEmulation } from './lint';
import { parseDockerfile } from './parse';
import { stagePlatforms } from './stage-platform';

/** [line, severity, stage] of every finding. */
const summary = (text: string): [number, string, string | number][] =>
  lintDockerfileText(text).map((f) => [f.line, f.severity, f.stage]);

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

describe('lintEmulation', () => {
  it.each<[string, string, [number, string, string | number][]]>([
    [
      'the hermetic Go pattern',
      lines(
        'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
        'ARG TARGETOS TARGETARCH',
        'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      [],
    ],
    [
      'the naive Go build',
      lines(
        'FROM golang:1.22',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /app .',
        'ENTRYPOINT ["/app"]',
      ),
      [[4, 'error', 0]],
    ],
    [
      'a chain: A on $BUILDPLATFORM, B inherits; C scratch with RUN, D inherits target',
      lines(
        'FROM --platform=$BUILDPLATFORM alpine AS a',
        'RUN echo a',
        'FROM a AS b',
        'RUN echo b',
        'FROM scratch AS c',
        'RUN echo c',
        'FROM c AS d',
        'RUN echo d',
        'FROM d AS e',
        'RUN echo e',
      ),
      [
        [6, 'error', 'c'],
        [8, 'error', 'd'],
        [10, 'error', 'e'],
      ],
    ],
    [
      '${BUILDPLATFORM} in braces',
      lines('FROM --platform=${BUILDPLATFORM} alpine', 'RUN true'),
      [],
    ],
    [
      '--platform=$TARGETPLATFORM',
      lines('FROM --platform=$TARGETPLATFORM alpine', 'RUN true'),
      [[2, 'error', 0]],
    ],
    [
      'a fixed platform',
      lines('FROM --platform=linux/amd64 alpine AS x86', 'RUN true'),
      [[2, 'warning', 'x86']],
    ],
    [
      'a global ARG defaulting to $BUILDPLATFORM',
      lines(
        'ARG BUILDER_PLATFORM=$BUILDPLATFORM',
        'FROM --platform=$BUILDER_PLATFORM golang AS build',
        'RUN go build',
      ),
      [],
    ],
    [
      'a global ARG defaulting to ${TARGETPLATFORM}',
      lines('ARG P=${TARGETPLATFORM}', 'FROM --platform=${P} alpine', 'RUN true'),
      [[3, 'error', 0]],
    ],
    [
      'a global ARG defaulting to a literal',
      lines('ARG P=linux/arm64', 'FROM --platform=$P alpine', 'RUN true'),
      [[3, 'warning', 0]],
    ],
    [
      'a global ARG without a default',
      lines('ARG P', 'FROM --platform=$P alpine', 'RUN true'),
      [[3, 'warning', 0]],
    ],
    [
      'ARG defaults are resolved one level only',
      lines('ARG A=$BUILDPLATFORM', 'ARG B=$A', 'FROM --platform=$B alpine', 'RUN true'),
      [[4, 'warning', 0]],
    ],
    [
      'a base named through a global ARG',
      lines(
        'ARG BASE=build',
        'FROM --platform=$BUILDPLATFORM golang AS build',
        'FROM ${BASE} AS more',
        'RUN go vet ./...',
      ),
      [],
    ],
    [
      'a stage alias is matched in lower case, as BuildKit stores it',
      lines('FROM --platform=$BUILDPLATFORM golang AS Build', 'FROM build', 'RUN go test ./...'),
      [],
    ],
    [
      'a base stage decides even when the stage has its own --platform (BuildKit ignores it)',
      lines('FROM alpine AS base', 'FROM --platform=$BUILDPLATFORM base', 'RUN true'),
      [[3, 'error', 1]],
    ],
    [
      'only earlier stages are bases',
      lines('FROM later', 'RUN true', 'FROM --platform=$BUILDPLATFORM alpine AS later'),
      [[2, 'error', 0]],
    ],
    [
      'a RUN heredoc reports the RUN line',
      lines('FROM alpine', 'RUN <<EOF', 'apk add curl', 'EOF', 'RUN \\', '  echo two'),
      [
        [2, 'error', 0],
        [5, 'error', 0],
      ],
    ],
    [
      'COPY, ENV and the rest never run anything',
      lines('FROM alpine', 'COPY a /a', 'ENV A=1', 'USER 1', 'ENTRYPOINT ["/a"]'),
      [],
    ],
  ])('%s', (_, text, expected) => {
    expect(summary(text)).toEqual(expected);
  });

  it('explains a target-platform RUN', () => {
    const [f] = lintDockerfileText(
      lines(
        'FROM --platform=$BUILDPLATFORM golang AS build',
        'FROM alpine AS final',
        'COPY --from=build /a /a',
        'RUN apk add tzdata',
      ),
      'apps/a/Dockerfile',
    );
    expect(f).toEqual({
      file: 'apps/a/Dockerfile',
      line: 4,
      stage: 'final',
      severity: 'error',
      rule: 'emulated-run',
      message:
        'RUN in stage "final" (line 4) runs on the target platform: the stage has no --platform=$BUILDPLATFORM, so for a foreign target BuildKit runs it under QEMU emulation. Move it to a stage FROM --platform=$BUILDPLATFORM and COPY the result, or cross-compile.',
    });
    expect(f && formatFinding(f)).toBe(`apps/a/Dockerfile:4: error: ${f?.message} [emulated-run]`);
  });

  it.each([
    [
      'an inherited target platform names the chain',
      lines('FROM scratch AS c', 'FROM c AS d', 'FROM d', 'RUN true'),
      'RUN in stage 2 (line 4) runs on the target platform: the stage builds on "d" (line 2), which builds on "c" (line 1), and stage "c" has no --platform=$BUILDPLATFORM, so for a foreign target',
    ],
    [
      'an explicit target platform',
      lines('FROM --platform=$TARGETPLATFORM alpine', 'RUN true'),
      'RUN in stage 0 (line 2) runs on the target platform: the stage has --platform=$TARGETPLATFORM, so',
    ],
    [
      'a fixed platform',
      lines('FROM --platform=linux/amd64 alpine', 'RUN true'),
      'RUN in stage 0 (line 2) runs on fixed platform linux/amd64, emulated on other build hosts: the stage has --platform=linux/amd64.',
    ],
    [
      'a platform through an ARG',
      lines('ARG P=linux/arm64', 'FROM --platform=$P alpine', 'RUN true'),
      'RUN in stage 0 (line 3) runs on fixed platform linux/arm64, emulated on other build hosts: the stage has --platform=$P, which resolves to linux/arm64 (global ARG P, line 1).',
    ],
    [
      'an unresolved platform',
      lines('ARG P', 'FROM --platform=$P alpine', 'RUN true'),
      'RUN in stage 0 (line 3) may run under emulation: the stage has --platform=$P, which the Dockerfile alone does not resolve to $BUILDPLATFORM.',
    ],
  ])('explains %s', (_, text, start) => {
    expect(lintDockerfileText(text)[0]?.message.startsWith(start)).toBe(true);
  });

  it('gives every stage an effective platform', () => {
    const parsed = parseDockerfile(
      lines(
        'ARG B=$BUILDPLATFORM',
        'FROM --platform=$B golang AS build',
        'FROM build AS test',
        'FROM --platform=linux/amd64 alpine AS fixed',
        'FROM scratch',
      ),
    );
    expect(stagePlatforms(parsed).map((p) => [p.kind, p.decidedBy, p.via])).toEqual([
      ['build', 0, []],
      ['build', 0, [0]],
      ['fixed', 2, []],
      ['target', 3, []],
    ]);
    expect(lintEmulation(parsed)).toEqual([]);
  });
});
