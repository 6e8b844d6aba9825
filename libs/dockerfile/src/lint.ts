import { parseDockerfile, ParsedDockerfile, ParsedStage } from './parse';
import { StagePlatform, stagePlatforms } from './stage-platform';

/** One lint result: where, how bad, which rule, and a message that says why and what to do. */
export interface LintFinding {
  readonly file: string;
  /** 1-based line of the offending instruction. */
  readonly line: number;
  /** The stage's name, or its 0-based index when it has none. */
  readonly stage: string | number;
  readonly severity: 'error' | 'warning';
  readonly rule: 'emulated-run';
  readonly message: string;
}

const FIX =
  'Move it to a stage FROM --platform=$BUILDPLATFORM and COPY the result, or cross-compile.';

const stageLabel = (s: ParsedStage): string =>
  s.name === undefined ? `stage ${s.index}` : `stage "${s.name}"`;
const stageRef = (s: ParsedStage): string =>
  s.name === undefined ? `stage ${s.index}` : `"${s.name}"`;

/** flagClause says what the deciding stage's FROM line has, e.g. `has --platform=$P, which resolves to ...`. */
function flagClause(p: StagePlatform): string {
  if (p.expression === undefined) return 'has no --platform=$BUILDPLATFORM';
  const arg = p.arg;
  if (p.resolved === undefined || arg === undefined) return `has --platform=${p.expression}`;
  return `has --platform=${p.expression}, which resolves to ${p.resolved} (global ARG ${arg.name}, line ${arg.line})`;
}

/** reason explains why a stage has its platform, following FROM-alias chains. */
function reason(p: StagePlatform, stages: readonly ParsedStage[]): string {
  const decider = stages[p.decidedBy];
  if (p.via.length === 0 || decider === undefined) return `the stage ${flagClause(p)}`;
  const chain = p.via.map((i) => stages[i]).filter((s): s is ParsedStage => s !== undefined);
  const path = chain.map((s) => `${stageRef(s)} (line ${s.line})`).join(', which builds on ');
  return `the stage builds on ${path}, and ${stageLabel(decider)} ${flagClause(p)}`;
}

function finding(
  p: StagePlatform,
  stage: ParsedStage,
  line: number,
  stages: readonly ParsedStage[],
  file: string,
): LintFinding | undefined {
  const where = `RUN in ${stageLabel(stage)} (line ${line})`;
  const why = reason(p, stages);
  const base = { file, line, stage: stage.name ?? stage.index, rule: 'emulated-run' as const };
  switch (p.kind) {
    case 'build':
      return undefined;
    case 'target':
      return {
        ...base,
        severity: 'error',
        message: `${where} runs on the target platform: ${why}, so for a foreign target BuildKit runs it under QEMU emulation. ${FIX}`,
      };
    case 'fixed':
      return {
        ...base,
        severity: 'warning',
        message: `${where} runs on fixed platform ${(p.resolved ?? p.expression ?? '').trim()}, emulated on other build hosts: ${why}. Use --platform=$BUILDPLATFORM and cross-compile for $TARGETPLATFORM unless that platform is required.`,
      };
    case 'unknown':
      return {
        ...base,
        severity: 'warning',
        message: `${where} may run under emulation: ${why}, which the Dockerfile alone does not resolve to $BUILDPLATFORM. Use --platform=$BUILDPLATFORM (or a global ARG defaulting to it) for stages that run build tools.`,
      };
  }
}

/**
 * lintEmulation reports every RUN that executes on a platform other than the build
 * platform: an error for the target platform (QEMU for every foreign target), a warning
 * for a fixed or unresolvable `--platform`. Stages on `$BUILDPLATFORM` run natively and
 * are never reported.
 */
export function lintEmulation(parsed: ParsedDockerfile): readonly LintFinding[] {
  const platforms = stagePlatforms(parsed);
  return parsed.stages.flatMap((stage) => {
    const p = platforms[stage.index];
    if (p === undefined) return [];
    return stage.instructions
      .filter((ins) => ins.keyword === 'RUN')
      .flatMap((ins) => finding(p, stage, ins.line, parsed.stages, parsed.file) ?? []);
  });
}

/** formatFinding formats a finding as a compiler-style line: `Dockerfile:12: error: ... [emulated-run]`. */
export function formatFinding(f: LintFinding): string {
  return `${f.file}:${f.line}: ${f.severity}: ${f.message} [${f.rule}]`;
}

/** lintDockerfileText parses Dockerfile text and lints it; syntax errors throw DockerfileSyntaxError. */
export function lintDockerfileText(text: string, file = 'Dockerfile'): readonly LintFinding[] {
  return lintEmulation(parseDockerfile(text, file));
}
