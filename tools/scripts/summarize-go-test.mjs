// Prints go test's per-package results (ok/FAIL) and the output of failed tests from `go test -json`.
import { readFileSync } from 'node:fs';

const events = readFileSync(process.argv[2], 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line));
const output = new Map();
for (const event of events) {
  const key = `${event.Package} ${event.Test ?? ''}`;
  if (event.Action === 'output') output.set(key, (output.get(key) ?? '') + event.Output);
  if (event.Action === 'fail' && event.Test)
    process.stdout.write(`--- FAIL ${event.Package} ${event.Test}\n${output.get(key) ?? ''}`);
  if (
    !event.Test &&
    (event.Action === 'pass' || event.Action === 'fail' || event.Action === 'skip')
  ) {
    process.stdout.write(
      `${event.Action === 'pass' ? 'ok  ' : event.Action === 'fail' ? 'FAIL' : 'skip'}  ${event.Package}\n`,
    );
    if (event.Action === 'fail') process.stdout.write(output.get(key) ?? '');
  }
}
