import { describe, expect, it } from 'vitest';
import { parseDuration, profileOf, ranTaskOutput } from '../../../scripts/bench/nx-profile';

// A trimmed real output of `nx run hello:image` after an edit: one compile replayed from the
// cache, one run, the image run, and the measures perf-dump.cjs printed at exit.
const OUTPUT = `
> nx run hello:compile--linux-amd64  [local cache]

[hello] linux/amd64  compiled in 32.1s  6.0 MB

> nx run hello:compile--linux-arm64

[hello] linux/arm64  compiled in 1.4s  5.6 MB

> nx run hello:image

[hello] time by step: inputs 1ms, revision and base 50ms, preflight 31ms, context 9ms, layers and layout 1.0s, SBOMs 59ms

crossdock-perf 100 "createProjectGraphAsync" 651.5 424.5
crossdock-perf 100 "hashMultipleTasks" 1113.9 38.3
crossdock-perf 100 "hashMultipleTasks" 1268.2 107
crossdock-perf 100 "TaskOrchestrator-run-batch" 1300 2000
crossdock-perf 100 "cache-results" 3300 65
crossdock-perf 200 "code-loading" 10 5
`;

describe('the crossdock profile of one nx run', () => {
  it('parses crossdock durations', () => {
    expect(parseDuration('882ms')).toBe(882);
    expect(parseDuration('1.4s')).toBe(1400);
    expect(parseDuration('2m42s')).toBe(162_000);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
  });

  it('keeps only the output of tasks that ran', () => {
    const ran = ranTaskOutput(OUTPUT);
    expect(ran).toContain('linux/arm64  compiled in 1.4s');
    expect(ran).not.toContain('compiled in 32.1s');
  });

  it('splits the wall time into phases', () => {
    const profile = profileOf(OUTPUT, 4000);
    expect(profile).toMatchObject({
      wall: 4000,
      'start-up': 651.5,
      graph: 424.5,
      hashing: 145.3,
      executors: 2000,
      goBuild: 1400,
      imagePreflight: 81,
      imageContext: 9,
      imageLayers: 1000,
      imageSboms: 59,
      imageOther: 1,
      cacheWrite: 65,
    });
    expect(profile.orchestration).toBeCloseTo(4000 - 651.5 - 424.5 - 145.3 - 2000 - 65, 6);
  });

  it('reads the image steps as the image task prints them now (revision, base and preflight side by side)', () => {
    const now = OUTPUT.replace(
      /time by step: .*/,
      'time by step: inputs 0ms, revision/base/preflight 150ms, context 100ms, layers and layout 58ms, SBOMs 3ms',
    );
    expect(profileOf(now, 4000)).toMatchObject({
      imagePreflight: 150,
      imageContext: 100,
      imageLayers: 58,
      imageSboms: 3,
      imageOther: 0,
    });
  });
});
