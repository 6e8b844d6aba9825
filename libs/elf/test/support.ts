import { resolve } from 'node:path';
import { buildElfFixtures, type ElfFixtures } from './fixtures';
import { locateTestTools, reportMissing, type TestTools } from './tools';

/** Where the ELF fixtures are cached: the repository's tmp/ folder, found from this file, not the cwd. */
export const FIXTURE_DIR = resolve(__dirname, '../../../tmp/fixtures/elf');

/** Whether a test file can build fixtures, and the tools it found. */
export interface FixtureSupport {
  readonly available: boolean;
  readonly tools: TestTools;
  /** Builds (or reuses) the fixture set; call from beforeAll. */
  build(): Promise<ElfFixtures>;
}

/**
 * Checks for go and gcc once per test file. Missing tools fail under CI=true and skip
 * loudly otherwise.
 */
export function fixtureSupport(): FixtureSupport {
  const tools = locateTestTools();
  const missing =
    (tools.go === undefined &&
      reportMissing('go', 'the ELF tests cross-compile real Go binaries as fixtures')) ||
    (tools.gcc === undefined &&
      reportMissing('gcc', 'the ELF tests link a real dynamic C binary as a fixture'));
  return {
    available: !missing,
    tools,
    build: () => buildElfFixtures(FIXTURE_DIR, { go: tools.go, gcc: tools.gcc }),
  };
}
