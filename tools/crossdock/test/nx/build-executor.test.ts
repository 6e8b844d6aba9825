import { describe, expect, it } from 'vitest';
import { parsePlatform } from '@crossdock/platform';
import type { BatchTask, RunningDependency } from '../../src/nx/batch-executor';
import { binaryReadiness } from '../../src/nx/executors/build/batch';
import { buildTask, type BuildExecutorOptions } from '../../src/nx/executors/build/executor';
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
      '[hello] the build executor needs the option step: "compile", "context", "image", got "deploy"',
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

describe('binaryReadiness (an image beside its compiles in the batch)', () => {
  const task = (running: RunningDependency<BuildExecutorOptions>[]) =>
    ({
      id: 'hello:image',
      project: 'hello',
      running,
    }) as unknown as BatchTask<BuildExecutorOptions>;
  const dependency = (id: string, options: BuildExecutorOptions, succeeded: Promise<void>) => ({
    id,
    project: id.split(':')[0]!,
    options,
    succeeded,
  });
  const deferred = () => {
    let settle!: (ok: boolean) => void;
    const promise = new Promise<void>((resolve, reject) => {
      settle = (ok) => (ok ? resolve() : reject(new Error('failed')));
    });
    promise.catch(() => undefined);
    return { promise, settle };
  };
  const state = async (promise: Promise<void>) =>
    Promise.race([
      promise.then(
        () => 'ready',
        () => 'failed',
      ),
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 5)),
    ]);

  it('is undefined when nothing runs beside the image', () => {
    expect(binaryReadiness(task([]))).toBeUndefined();
  });

  it("waits for the project's compile of that platform only (any spelling of it), now when it is not in the batch", async () => {
    const arm = deferred();
    const amd = deferred();
    const ready = binaryReadiness(
      task([
        dependency(
          'hello:compile--linux-arm-v7',
          { step: 'compile', platform: 'linux/arm/v7' },
          arm.promise,
        ),
        dependency(
          'hello:compile--linux-amd64',
          { step: 'compile', platform: 'linux/amd64' },
          amd.promise,
        ),
      ]),
    )!;
    amd.settle(true);
    expect(await state(ready(parsePlatform('linux/amd64')))).toBe('ready');
    expect(await state(ready(parsePlatform('linux/arm/v7')))).toBe('waiting');
    expect(await state(ready(parsePlatform('linux/riscv64')))).toBe('ready');
    arm.settle(false);
    expect(await state(ready(parsePlatform('linux/arm/v7')))).toBe('failed');
  });

  it('waits for every other running dependency (another project’s compile, a task of its own)', async () => {
    const other = deferred();
    const ready = binaryReadiness(
      task([
        dependency(
          'relay:compile--linux-amd64',
          { step: 'compile', platform: 'linux/amd64' },
          other.promise,
        ),
      ]),
    )!;
    expect(await state(ready(parsePlatform('linux/amd64')))).toBe('waiting');
    other.settle(true);
    expect(await state(ready(parsePlatform('linux/amd64')))).toBe('ready');
  });
});
