// The exact-inputs harness: mutates every file of the harness repositories (the sample apps
// with the Go layout fixtures, and two open-source services from the Go module proxy), runs
// every compile task through Nx, and prints how often a task re-ran, hit the cache, was
// stale (a hit although the bytes change: must be 0) or over-built.
//
//   npm run harness [-- --every=N (every Nth file)] [--limit=N] [--only=<repository substring>[,...]] [--json=<file>] [--keep]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { countOutcomes, runHarness, watchedTasks } from './harness';
import { harnessFindings, harnessTable } from './report';
import {
  HARNESS_PROJECTS,
  HARNESS_SLUGS,
  harnessWorkspace,
  mutableFiles,
  repositoryOf,
} from './repositories';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      every: { type: 'string' },
      limit: { type: 'string' },
      only: { type: 'string' },
      json: { type: 'string' },
      keep: { type: 'boolean' },
    },
  });
  const started = Date.now();
  const ws = await harnessWorkspace();
  try {
    const tasks = await watchedTasks(ws, HARNESS_PROJECTS, HARNESS_SLUGS);
    let files = await mutableFiles(ws);
    const only = values.only?.split(',');
    if (only)
      files = files.filter((file) => only.some((name) => repositoryOf(file).includes(name)));
    if (values.every) files = files.filter((_file, index) => index % Number(values.every) === 0);
    if (values.limit) files = files.slice(0, Number(values.limit));
    process.stderr.write(
      `harness: ${files.length} files × ${tasks.length} compile tasks in ${ws.root}\n`,
    );
    const results = await runHarness(ws, tasks, files, (line) => process.stderr.write(`${line}\n`));
    if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2));
    const counts = countOutcomes(results);
    console.log(harnessTable(results));
    console.log('');
    for (const line of harnessFindings(results)) console.log(line);
    console.log(
      `\n${counts.mutations} files mutated, ${counts.pairs} task checks, ${counts.stale} stale, ${counts.overBuilt} over-built, ${counts.failed} failed, in ${Math.round((Date.now() - started) / 1000)} s`,
    );
    process.exitCode = counts.stale > 0 || counts.failed > 0 ? 1 : 0;
  } finally {
    if (!values.keep) ws.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
