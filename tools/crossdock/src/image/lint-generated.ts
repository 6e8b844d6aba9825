import { formatFinding, lintDockerfileText, type LintFinding } from '@crossdock/dockerfile';
import { CrossdockError } from '../support/crossdock-error';

/** A generated Dockerfile that would run a build step under emulation: a bug in crossdock's generator. */
export class GeneratedDockerfileError extends CrossdockError {
  constructor(
    readonly project: string,
    readonly findings: readonly LintFinding[],
  ) {
    super(
      `${project}: the generated Dockerfile would run build steps on the target platform (under QEMU for foreign targets):\n` +
        `${findings.map((f) => `  ${formatFinding(f)}`).join('\n')}\n` +
        'This is a crossdock bug (every RUN belongs in a FROM --platform=$BUILDPLATFORM stage); please report it with the options of the project.',
    );
    this.name = 'GeneratedDockerfileError';
  }
}

/**
 * Lints a generated Dockerfile with the emulation rule and throws on any error finding;
 * warnings (a fixed or unresolved --platform) are returned for the caller to report.
 */
export function checkGeneratedDockerfile(
  project: string,
  text: string,
  file: string,
): readonly LintFinding[] {
  const findings = lintDockerfileText(text, file);
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) throw new GeneratedDockerfileError(project, errors);
  return findings;
}
