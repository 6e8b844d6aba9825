import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { platformFromNode } from '@crossdock/platform';
import { normalizeOptions } from '../../options/normalize-options';
import { execaRunner } from '../../process/runner';
import { consoleReporter } from '../../report/reporter';
import { findProgram } from '../../smoke/find-program';
import { smokeTable, writeSmokeRecord } from '../../smoke/report';
import { isCi } from '../../smoke/run-mode';
import { smokeImage } from '../../smoke/smoke-image';
import { DIST } from '../../workspace/dist-paths';
import { projectOf } from '../../nx/executor-context';

/**
 * Runs every platform's entrypoint from the project's image (dist/images/<project>), natively
 * or under qemu-user, prints a table and writes dist/smoke/<project>.json. The host platform,
 * CI and PATH are read here, at the edge, and passed in.
 */
export default async function smokeExecutor(
  rawOptions: Record<string, unknown>,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const { name } = projectOf(context);
  const reporter = consoleReporter(name);
  try {
    const options = normalizeOptions(name, [
      { source: 'the smoke target options', values: rawOptions },
    ]);
    const report = await smokeImage({
      project: name,
      layoutDir: join(context.root, DIST.imageDir(name)),
      platforms: options.platforms,
      smokeArgs: options.smokeArgs,
      smokeExpect: options.smokeExpect,
      // The stricter check (exit 0, smokeExpect) when the user chose smoke arguments or a pattern.
      check: 'smokeArgs' in rawOptions || options.smokeExpect !== '' ? 'strict' : 'started',
      timeoutMs: options.smokeTimeoutSeconds * 1000,
      host: platformFromNode(process.arch, process.platform),
      ci: isCi(process.env.CI),
      findProgram: (program) => findProgram(program, process.env.PATH),
      runner: execaRunner,
      reporter,
      scratchDir: tmpdir(),
    });
    const recordPath = join(context.root, DIST.smokeRecord(name));
    await writeSmokeRecord(recordPath, report);
    reporter.block(`${smokeTable(report)}\nrecord: ${recordPath}`);
    return { success: report.passed };
  } catch (error) {
    reporter.block(`[${name}] smoke failed: ${(error as Error).message}`);
    return { success: false };
  }
}
