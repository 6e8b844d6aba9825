import { describe, expect, it } from 'vitest';
import { buildTask } from '../../src/nx/executors/build/executor';
import type { Reporter } from '../../src/support/report/reporter';

function recorder(): { reporter: Reporter; lines: string[] } {
  const lines: string[] = [];
  const reporter: Reporter = {
    step: (line) => lines.push(line),
    warn: (line) => lines.push(`WARNING: ${line}`),
    block: (text) => lines.push(text),
  };
  return { reporter, lines };
}

const where = {
  workspaceRoot: '/nonexistent-workspace',
  project: 'hello',
  projectRoot: 'apps/hello',
  configuredOptions: {},
};

describe('the build executor', () => {
  it('refuses an unknown step, naming the ones it has', async () => {
    const { reporter, lines } = recorder();
    expect(await buildTask({ step: 'deploy' as 'image' }, { ...where, reporter })).toBe(false);
    expect(lines).toEqual([
      '[hello] the build executor needs the option step: "compile" or "image", got "deploy"',
    ]);
  });

  it('runs the compile step with the compile options, without the step option', async () => {
    const { reporter, lines } = recorder();
    // No go.mod in a workspace that does not exist: the compile step's own check says so.
    const ok = await buildTask(
      { step: 'compile', platform: 'linux/arm64', binary: 'hello' },
      { ...where, reporter },
    );
    expect(ok).toBe(false);
    expect(lines.join('\n')).toMatch(/^\[hello\] /);
    expect(lines.join('\n')).not.toContain('step');
  });

  it('runs the image step when no step is given, and the image options reach it unchanged', async () => {
    const { reporter, lines } = recorder();
    const ok = await buildTask({ load: true }, { ...where, reporter });
    expect(ok).toBe(false);
    // The image step's own refusal of --load: the options reached imageTask as given.
    expect(lines.join('\n')).toContain('--load is not an option of the image target');
  });
});
