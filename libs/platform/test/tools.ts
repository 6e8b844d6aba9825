import { describe, it } from 'vitest';
import { execaSync } from 'execa';
import { GO_ISA_VARIABLES } from '../src/go';
import { missingComponent, underCi } from '../../test-support/src/missing-component';

/** The first candidate that runs with `args` and exits 0, or undefined when none does. */
export function findTool(
  candidates: readonly string[],
  args: readonly string[],
): string | undefined {
  return candidates.find(
    (candidate) => execaSync(candidate, args, { reject: false }).exitCode === 0,
  );
}

/** The Go command: `go` on PATH, else the usual install location. */
export function findGo(): string | undefined {
  return findTool(['go', '/usr/local/go/bin/go'], ['version']);
}

/**
 * Declares a describe block that needs an external tool. When the tool is missing it fails
 * under CI=true and is skipped loudly otherwise.
 */
export function describeWithTool(
  name: string,
  tool: string | undefined,
  what: string,
  body: () => void,
): void {
  const message = `"${name}" needs ${what}, which is missing on this machine; install it`;
  if (tool !== undefined) {
    describe(name, body);
  } else if (underCi()) {
    describe(name, () => {
      it(`needs ${what}`, () => missingComponent(message));
    });
  } else {
    missingComponent(message);
    describe.skip(name, body);
  }
}

/**
 * The environment for a Go command that sees only `env`: every Go variable that picks a
 * target (GOOS, GOARCH, each instruction-set variable, CGO_ENABLED, GOFLAGS) is cleared
 * first, so a developer's shell cannot change the outcome, and toolchain downloads are off.
 */
export function isolatedGoEnv(
  env: Readonly<Record<string, string>>,
): Record<string, string | undefined> {
  const cleared: Record<string, undefined> = {
    GOOS: undefined,
    GOARCH: undefined,
    CGO_ENABLED: undefined,
    GOFLAGS: undefined,
  };
  for (const { name } of Object.values(GO_ISA_VARIABLES)) cleared[name] = undefined;
  return { ...cleared, GOTOOLCHAIN: 'local', ...env };
}
