import { ParsedArg, ParsedDockerfile, ParsedStage } from './parse';

/**
 * Where a stage runs, as far as the Dockerfile says: on the build platform (native), on the
 * target platform (emulated when the target is foreign), on a fixed platform, or unknown.
 */
export type PlatformKind = 'build' | 'target' | 'fixed' | 'unknown';

/** The effective platform of one stage and how it was decided. */
export interface StagePlatform {
  readonly kind: PlatformKind;
  /** Index of the stage whose FROM line decides: the stage itself, or the end of its FROM-alias chain. */
  readonly decidedBy: number;
  /** Stage indexes this stage inherits through, nearest base first (empty when it decides itself). */
  readonly via: readonly number[];
  /** The deciding stage's `--platform` value as written, if any. */
  readonly expression?: string;
  /** The value after substituting a global ARG default, when one was used. */
  readonly resolved?: string;
  /** The global ARG whose default was substituted. */
  readonly arg?: ParsedArg;
}

const AUTOMATIC = new Set([
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
]);
const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/gu;

/** The last global ARG of each name (a later declaration wins). */
function argsByName(args: readonly ParsedArg[]): ReadonlyMap<string, ParsedArg> {
  return new Map(args.map((a) => [a.name, a]));
}

/** substitute replaces global ARG references with their defaults, one level deep; automatic platform ARGs stay. */
function substitute(
  value: string,
  args: ReadonlyMap<string, ParsedArg>,
): { text: string; arg?: ParsedArg } {
  let used: ParsedArg | undefined;
  const text = value.replace(REF, (whole, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    const a = args.get(name);
    if (AUTOMATIC.has(name) || a?.default === undefined) return whole;
    used = a;
    return a.default;
  });
  return used ? { text, arg: used } : { text };
}

/** classify decides the kind of a `--platform` value after substitution. */
export function classifyPlatform(value: string): PlatformKind {
  const v = value.trim();
  if (v === '$BUILDPLATFORM' || v === '${BUILDPLATFORM}') return 'build';
  if (v === '$TARGETPLATFORM' || v === '${TARGETPLATFORM}') return 'target';
  if (!v.includes('$')) return 'fixed';
  return 'unknown';
}

function own(stage: ParsedStage, args: ReadonlyMap<string, ParsedArg>): StagePlatform {
  if (stage.platform === undefined) return { kind: 'target', decidedBy: stage.index, via: [] };
  const { text, arg } = substitute(stage.platform, args);
  return {
    kind: classifyPlatform(text),
    decidedBy: stage.index,
    via: [],
    expression: stage.platform,
    ...(arg ? { resolved: text, arg } : {}),
  };
}

/**
 * stagePlatforms computes each stage's effective platform, following BuildKit: a stage whose
 * base (after global ARG defaults are substituted) names an earlier stage takes that
 * stage's platform, transitively, and BuildKit ignores its own --platform then; otherwise
 * `--platform=$BUILDPLATFORM` (directly or through a global ARG default) is the build
 * platform, no flag or `$TARGETPLATFORM` the target, a literal value a fixed platform, and
 * anything else unknown.
 */
export function stagePlatforms(parsed: ParsedDockerfile): readonly StagePlatform[] {
  const args = argsByName(parsed.globalArgs);
  const byName = new Map<string, number>();
  const result: StagePlatform[] = [];
  for (const stage of parsed.stages) {
    const base = byName.get(substitute(stage.image, args).text);
    const inherited = base === undefined ? undefined : result[base];
    result.push(
      inherited && base !== undefined
        ? { ...inherited, via: [base, ...inherited.via] }
        : own(stage, args),
    );
    if (stage.name !== undefined) byName.set(stage.name, stage.index);
  }
  return result;
}
