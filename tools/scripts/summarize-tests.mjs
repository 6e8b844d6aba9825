// Adds up vitest's JSON report, go test's JSON events and the exit statuses of the whole-tree
// checks (go vet, the formatter check, the linter, the type check: one test each) into the one closing line CI
// reads: "N passed, N failed" (", N skipped" when any were skipped).
import { existsSync, readFileSync } from 'node:fs';

const [vitestFile, goFile, ...checkStatuses] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

if (existsSync(vitestFile)) {
  const report = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A suite that failed without a failed test (it did not load, or a beforeAll hook threw and
  // its tests were skipped) counts as one failure, so the line never says 0 failed for a red run.
  for (const suite of report.testResults) {
    if (
      suite.status === 'failed' &&
      !suite.assertionResults.some((test) => test.status === 'failed')
    )
      failed += 1;
  }
} else {
  failed += 1;
  console.log('vitest wrote no report');
}

if (existsSync(goFile)) {
  for (const line of readFileSync(goFile, 'utf8').split('\n').filter(Boolean)) {
    const event = JSON.parse(line);
    if (!event.Test) {
      // A package that failed without any test result (a build error) counts as one failure.
      if (event.Action === 'fail' && event.FailedBuild) failed += 1;
      continue;
    }
    if (event.Test.includes('/')) continue; // subtests are counted through their parent
    if (event.Action === 'pass') passed += 1;
    else if (event.Action === 'fail') failed += 1;
    else if (event.Action === 'skip') skipped += 1;
  }
} else {
  failed += 1;
}

for (const status of checkStatuses) {
  if (status === '0') passed += 1;
  else failed += 1;
}

console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
