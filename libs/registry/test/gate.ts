import { it } from 'vitest';
import { toolGate } from '../../test-support/src/tool-gate';

/**
 * Checks the programs an integration suite needs. When some are missing it registers a
 * failing test under CI=true, or warns and registers a skipped one otherwise. Returns
 * whether the suite's real tests should run.
 */
export function requireTools(suite: string, programs: readonly string[]): boolean {
  const gate = toolGate(suite, programs, process.env);
  if (gate.ok) return true;
  if (gate.ci) {
    it(`has ${gate.missing.join(', ')}`, () => {
      throw new Error(gate.message);
    });
  } else {
    console.warn(`WARNING: ${gate.message}`);
    it.skip(`needs ${gate.missing.join(', ')}`, () => undefined);
  }
  return false;
}
