import { goEnv, type Platform } from '@crossdock/platform';
import { KNOWN_ARCH, KNOWN_OS, UNIX_OS, type TagOracle, type TagValue } from './build-constraints';

/** What decides which files `go build` compiles for one platform of one app. */
export interface GoBuildContext {
  readonly goos: string;
  readonly goarch: string;
  /** GOAMD64 level (1..4) for amd64; undefined elsewhere. */
  readonly amd64Level?: number;
  readonly cgo: boolean;
  /** The app's buildTags option: set for this build. */
  readonly tags: readonly string[];
  /**
   * The newest Go minor release known to be at least the toolchain's (the go directive of
   * the main module or go.work: GOTOOLCHAIN=local refuses an older toolchain), so `go1.N`
   * tags up to it are true; newer ones are unknown.
   */
  readonly goMinorFloor?: number;
}

/** The build context of one platform: GOOS/GOARCH and instruction-set level from libs/platform's Go environment. */
export function goBuildContext(
  platform: Platform,
  options: { cgo: boolean; tags: readonly string[]; goVersion?: string },
): GoBuildContext {
  const env = goEnv(platform, { cgo: options.cgo });
  const level = env.GOAMD64 === undefined ? undefined : Number(env.GOAMD64.slice(1));
  const minor =
    options.goVersion === undefined ? undefined : Number(/^1\.(\d+)/.exec(options.goVersion)?.[1]);
  return {
    goos: env.GOOS,
    goarch: env.GOARCH,
    ...(level === undefined ? {} : { amd64Level: level }),
    cgo: options.cgo,
    tags: options.tags,
    ...(minor === undefined || Number.isNaN(minor) ? {} : { goMinorFloor: minor }),
  };
}

/** GOOS values that imply another one's tag (and file suffix): android builds linux files, and so on. */
const IMPLIED_OS: Readonly<Record<string, string>> = {
  android: 'linux',
  illumos: 'solaris',
  ios: 'darwin',
};

/**
 * The value of each build tag in a context. Known: GOOS/GOARCH names (and implied ones),
 * unix, cgo, gc/gccgo, the app's tags, `ignore` (by convention never set), go1.N up to the
 * floor, amd64.vN levels, other architectures' feature tags. Unknown: anything GOFLAGS or
 * GOEXPERIMENT could set (custom tags, goexperiment.*, newer go1.N, this architecture's
 * other feature tags).
 */
export function tagOracle(context: GoBuildContext): TagOracle {
  const userTags = new Set(context.tags);
  return (tag: string): TagValue => {
    if (userTags.has(tag)) return true;
    if (KNOWN_OS.has(tag)) return tag === context.goos || IMPLIED_OS[context.goos] === tag;
    if (KNOWN_ARCH.has(tag)) return tag === context.goarch;
    if (tag === 'unix') return UNIX_OS.has(context.goos);
    if (tag === 'cgo') return context.cgo;
    if (tag === 'gc') return true;
    if (tag === 'gccgo' || tag === 'ignore') return false;
    const release = /^go1\.(\d+)$/.exec(tag);
    if (release)
      return context.goMinorFloor !== undefined && Number(release[1]) <= context.goMinorFloor
        ? true
        : undefined;
    const feature = /^([a-z0-9]+)\.(.+)$/.exec(tag);
    if (feature && KNOWN_ARCH.has(feature[1])) {
      if (feature[1] !== context.goarch) return false;
      const amd64 = /^v(\d)$/.exec(feature[2]);
      if (context.goarch === 'amd64' && amd64 && context.amd64Level !== undefined)
        return Number(amd64[1]) <= context.amd64Level;
      return undefined;
    }
    return undefined;
  };
}
