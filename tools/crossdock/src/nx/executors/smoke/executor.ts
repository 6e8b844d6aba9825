import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platformFromNode } from '@crossdock/platform';
import { normalizeOptions } from '../../../options/normalize-options';
import { processRunner } from '../../../support/process/runner';
import { findProgram } from '../../../smoke/find-program';
import { smokeTable, writeSmokeRecord } from '../../../smoke/report';
import { isCi } from '../../../smoke/run-mode';
import { smokeImage } from '../../../smoke/smoke-image';
import { DIST } from '../../../support/workspace/dist-paths';
import { taskExecutor, type TaskContext } from '../../executor-context';

/**
 * Runs every platform's entrypoint from the project's image (dist/images/<project>), natively
 * or under qemu-user, prints a table and writes dist/smoke/<project>.json. The host platform,
 * CI and PATH are read here, at the edge, and passed in.
 */
export default taskExecutor(smokeTask);

/** One smoke task; false when it failed, said through the reporter. */
export async function smokeTask(
  rawOptions: Record<string, unknown>,
  { workspaceRoot, project: name, reporter }: TaskContext,
): Promise<boolean> {
  try {
    const options = normalizeOptions(name, [
      { source: 'the smoke target options', values: rawOptions },
    ]);
    const report = await smokeImage({
      project: name,
      layoutDir: join(workspaceRoot, DIST.imageDir(name)),
      platforms: options.platforms,
      smokeArgs: options.smokeArgs,
      smokeExpect: options.smokeExpect,
      // The stricter check (exit 0, smokeExpect) when the user chose smoke arguments or a pattern.
      check: 'smokeArgs' in rawOptions || options.smokeExpect !== '' ? 'strict' : 'started',
      timeoutMs: options.smokeTimeoutSeconds * 1000,
      host: platformFromNode(process.arch, process.platform),
      ci: isCi(process.env.CI),
      findProgram: (program) => findProgram(program, process.env.PATH),
      runner: processRunner,
      reporter,
      scratchDir: tmpdir(),
    });
    const recordPath = join(workspaceRoot, DIST.smokeRecord(name));
    await writeSmokeRecord(recordPath, report);
    reporter.block(`${smokeTable(report)}\nrecord: ${recordPath}`);
    return report.passed;
  } catch (error) {
    reporter.block(`[${name}] smoke failed: ${(error as Error).message}`);
    return false;
  }
}
