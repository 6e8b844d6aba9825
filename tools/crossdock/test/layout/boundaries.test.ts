import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repo = join(__dirname, '../../../..');
const eslint = new ESLint({ cwd: repo });

/** The restricted-import messages ESLint's repository config gives `code` as if it were at `path`. */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repo, path) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('dependency boundaries (eslint.config.mjs, run by npm test)', () => {
  it('refuse a lib importing tools/', async () => {
    const errors = await boundaryErrors(
      'libs/platform/src/bad.ts',
      "import { x } from '../../../tools/scripts/testing/go-list';\nexport const y = x;\n",
    );
    expect(errors).toEqual([expect.stringContaining('libs depend on nothing in tools/')]);
  });

  it('refuse engines importing the image pipeline', async () => {
    const errors = await boundaryErrors(
      'tools/crossdock/src/image/engines/bad.ts',
      "import { buildImage } from '../build-image';\nexport const y = buildImage;\n",
    );
    expect(errors).toEqual([expect.stringContaining('engines read the plan')]);
  });

  it('refuse the plan importing the plugin', async () => {
    const errors = await boundaryErrors(
      'tools/crossdock/src/image/plan/bad.ts',
      "import { DIST } from '../../support/workspace/dist-paths';\nexport const y = DIST;\n",
    );
    expect(errors).toEqual([expect.stringContaining('src/image/plan is a leaf')]);
  });

  it('refuse the image model importing its sources and sinks, and those importing one another', async () => {
    expect(
      await boundaryErrors(
        'libs/oci/src/bad.ts',
        "import { writeOciLayout } from '@crossdock/oci-layout';\nexport const y = writeOciLayout;\n",
      ),
    ).toEqual([expect.stringContaining('@crossdock/oci is the image model')]);
    expect(
      await boundaryErrors(
        'libs/registry/src/bad.ts',
        "import { readOciLayout } from '@crossdock/oci-layout';\nexport const y = readOciLayout;\n",
      ),
    ).toEqual([expect.stringContaining('never on one another')]);
    expect(
      await boundaryErrors(
        'libs/oci-layout/src/ok.ts',
        "import { emptyImage } from '@crossdock/oci';\nexport const y = emptyImage;\n",
      ),
    ).toEqual([]);
  });

  it('let engines read the plan and libs import each other', async () => {
    expect(
      await boundaryErrors(
        'tools/crossdock/src/image/engines/ok.ts',
        "import type { ImagePlan } from '../plan';\nexport type P = ImagePlan;\n",
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        'libs/oci/src/ok.ts',
        "import { parsePlatform } from '@crossdock/platform';\nexport const p = parsePlatform;\n",
      ),
    ).toEqual([]);
  });
  it('refuse a folder of the plugin importing a layer above it (support < options < go < image < smoke, publish < nx, cli)', async () => {
    const probes: [string, string][] = [
      ['tools/crossdock/src/support/process/bad.ts', '../../image/make-plan'],
      ['tools/crossdock/src/options/bad.ts', '../go/modules'],
      ['tools/crossdock/src/go/compile/bad.ts', '../../publish/push/run-push'],
      ['tools/crossdock/src/go/bad.ts', '../image/build-image'],
      ['tools/crossdock/src/image/bad.ts', '../publish/push/mount-sources'],
      ['tools/crossdock/src/image/base/bad.ts', '../../nx/nodes/targets'],
      ['tools/crossdock/src/publish/push/bad.ts', '../../nx/executor-context'],
      ['tools/crossdock/src/publish/bad.ts', '../smoke/smoke-image'],
      ['tools/crossdock/src/smoke/bad.ts', '../cli/main'],
      ['tools/crossdock/src/nx/nodes/bad.ts', '../../cli/main'],
    ];
    for (const [path, target] of probes) {
      const errors = await boundaryErrors(
        path,
        `import * as probe from '${target}';\nexport const y = probe;\n`,
      );
      expect(errors, `${path} importing ${target}`).toEqual([
        expect.stringMatching(/src\/\w+ may not import src\/\{/),
      ]);
    }
  });

  it('let a layer import the layers below it, and the composition roots import everything', async () => {
    const allowed: [string, string][] = [
      ['tools/crossdock/src/publish/push/ok.ts', '../../image/base/base-kind'],
      ['tools/crossdock/src/image/ok.ts', '../go/modules'],
      ['tools/crossdock/src/go/compile/ok.ts', '../../support/process/runner'],
      ['tools/crossdock/src/smoke/ok.ts', '../image/plan'],
      ['tools/crossdock/src/nx/executors/push/ok.ts', '../../../publish/push/run-push'],
      ['tools/crossdock/src/cli/commands/ok.ts', '../../nx/nx-cli'],
    ];
    for (const [path, target] of allowed) {
      const errors = await boundaryErrors(
        path,
        `import * as probe from '${target}';\nexport const y = probe;\n`,
      );
      expect(errors, `${path} importing ${target}`).toEqual([]);
    }
  });
});
