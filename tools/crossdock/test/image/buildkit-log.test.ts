import { describe, expect, it } from 'vitest';
import { parsePlatform } from '@crossdock/platform';
import { describeRunSteps, runSteps } from '../../src/image/engines/buildkit-log';

// Lines as BuildKit v0.34.2 prints them with --progress=plain for a two-platform build.
const HERMETIC = `#9 [linux/amd64->arm64 build 4/4] RUN --mount=type=cache,target=/root/.cache/go-build case "$TARGETARCH" in arm) ...
#10 [linux/amd64 build 4/4] RUN --mount=type=cache,target=/root/.cache/go-build case "$TARGETARCH" in arm) ...
#9 0.412 go: downloading example.com/x v1.0.0
#10 DONE 40.1s
#9 [linux/amd64->arm64 build 4/4] RUN --mount=type=cache,target=/root/.cache/go-build case "$TARGETARCH" in arm) ...
#9 DONE 52.3s
#11 [linux/arm64 rootfs 1/2] COPY --from=build /out/hello /usr/local/bin/hello
`;

describe("BuildKit's plain log: where RUN steps ran", () => {
  const amd64 = parsePlatform('linux/amd64');

  it('finds each RUN step once, in label order, with the platform it runs on', () => {
    expect(runSteps(HERMETIC)).toEqual([
      { label: '[linux/amd64 build 4/4]', runsOn: 'linux/amd64' },
      { label: '[linux/amd64->arm64 build 4/4]', runsOn: 'linux/amd64' },
    ]);
    expect(describeRunSteps(runSteps(HERMETIC), amd64)).toBe(
      "BuildKit ran 2 RUN step(s), all on the builder's own linux/amd64: [linux/amd64 build 4/4], [linux/amd64->arm64 build 4/4]; nothing was emulated",
    );
  });

  it('names a RUN step on the target platform as emulated', () => {
    const log = `${HERMETIC}#12 [linux/arm64 final 2/3] RUN apk add curl\n`;
    expect(describeRunSteps(runSteps(log), amd64)).toBe(
      "BuildKit ran 1 of 3 RUN step(s) on another platform than the builder's linux/amd64 (emulated): [linux/arm64 final 2/3]",
    );
  });

  it('says when there is no RUN step, and lists unnamed steps of a one-platform build as they are', () => {
    expect(describeRunSteps(runSteps('#5 [2/2] COPY --from=rootfs / /\n'), amd64)).toBe(
      'BuildKit ran no RUN step: nothing was emulated',
    );
    expect(describeRunSteps(runSteps('#7 [build 4/4] RUN go build\n'), amd64)).toBe(
      'BuildKit ran 1 RUN step(s): [build 4/4]',
    );
  });
});
