import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTask } from '../../src/nx/executors/load/executor';
import { pushTask } from '../../src/nx/executors/push/executor';
import { EXECUTOR_NAMES, executorSchema } from '../../src/nx/executors/executor-schemas';
import { OPTION_KEYS } from '../../src/options/option-specs';
import { publishImage, type PublishRequest } from '../../src/publish/publish-image';
import type { BuiltImage, ImageSink } from '../../src/publish/sink';
import { SINKS } from '../../src/publish/sinks';
import { processRunner } from '../../src/support/process/runner';
import type { Reporter } from '../../src/support/report/reporter';

const pluginRoot = join(__dirname, '../..');

function recorder(): { reporter: Reporter; lines: string[] } {
  const lines: string[] = [];
  const reporter: Reporter = {
    step: (message) => lines.push(`step: ${message}`),
    warn: (message) => lines.push(`warn: ${message}`),
    block: (text) => lines.push(`block: ${text}`),
  };
  return { reporter, lines };
}

/** A sink that keeps what publishImage hands it, to check the shared work done before delivery. */
function keepingSink(fail?: Error): { sink: ImageSink<{ to: string }>; got: BuiltImage[] } {
  const got: BuiltImage[] = [];
  const sink: ImageSink<{ to: string }> = {
    name: 'keep',
    flagKeys: new Set(['to']),
    readFlags: (_project, raw) => ({ to: String(raw['to'] ?? 'nowhere') }),
    deliver: async (image, flags, { reporter }) => {
      if (fail) throw fail;
      got.push(image);
      reporter.step(`kept for ${flags.to}`);
    },
  };
  return { sink, got };
}

function request<F>(
  raw: Record<string, unknown>,
  reporter: Reporter,
  extra: Partial<PublishRequest<F>> = {},
): PublishRequest<F> {
  return {
    workspaceRoot: '/ws',
    project: 'demo',
    raw,
    configured: {},
    env: {},
    runner: processRunner,
    reporter,
    credentials: () => Promise.reject(new Error('no credentials in this test')),
    ...extra,
  };
}

describe('the one list of sinks (src/publish/sinks.ts)', () => {
  it.each(Object.entries(SINKS))(
    '%s is an executor of that name, and every flag its schema adds is one the sink reads',
    (name, sink) => {
      expect(sink.name).toBe(name);
      expect(EXECUTOR_NAMES).toContain(name);
      expect(existsSync(join(pluginRoot, `src/nx/executors/${name}/executor.ts`))).toBe(true);
      const flags = Object.keys(executorSchema(name).properties).filter(
        (key) => !(OPTION_KEYS as string[]).includes(key),
      );
      for (const flag of flags) expect(sink.flagKeys, `${name} --${flag}`).toContain(flag);
    },
  );
});

describe('publishImage: the work every sink shares', () => {
  it("normalises the options, passes the sink's flags over, and locates dist/images and dist/sbom", async () => {
    const { reporter, lines } = recorder();
    const { sink, got } = keepingSink();
    expect(await publishImage(sink, request({ to: 'x', repository: 'r/demo' }, reporter))).toBe(
      true,
    );
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      workspaceRoot: '/ws',
      project: 'demo',
      layoutDir: join('/ws', 'dist/images/demo'),
      sbomDir: join('/ws', 'dist/sbom/demo'),
    });
    expect(got[0]!.options.repository).toBe('r/demo');
    expect(got[0]!.options.platforms.length).toBeGreaterThan(0);
    expect(lines).toEqual(['step: kept for x']);
  });

  it('delivers the image prepare gives instead (a CI cell builds its own)', async () => {
    const { reporter } = recorder();
    const { sink, got } = keepingSink();
    const ok = await publishImage(
      sink,
      request({ to: 'x' }, reporter, {
        prepare: async (image, flags) => ({ ...image, layoutDir: `/cells/${flags.to}` }),
      }),
    );
    expect(ok).toBe(true);
    expect(got[0]!.layoutDir).toBe('/cells/x');
  });

  it('refuses an unknown option naming the sink, delivering nothing', async () => {
    const { reporter, lines } = recorder();
    const { sink, got } = keepingSink();
    expect(await publishImage(sink, request({ bogus: 1 }, reporter))).toBe(false);
    expect(got).toEqual([]);
    expect(lines).toEqual([
      expect.stringMatching(
        /^block: \[demo\] keep failed: demo: option "bogus" in the keep target options is not a crossdock option/,
      ),
    ]);
  });

  it("turns the sink's failure into false, said once", async () => {
    const { reporter, lines } = recorder();
    const { sink } = keepingSink(new Error('the tarball cannot be written'));
    expect(await publishImage(sink, request({}, reporter))).toBe(false);
    expect(lines).toEqual(['block: [demo] keep failed: the tarball cannot be written']);
  });
});

describe('the push and load executors run their sink through publishImage', () => {
  const where = (reporter: Reporter) => ({
    workspaceRoot: '/ws',
    project: 'demo',
    projectRoot: 'apps/demo',
    configuredOptions: {},
    reporter,
  });

  it('load refuses a --platform that is not one platform', async () => {
    const { reporter, lines } = recorder();
    expect(await loadTask({ platform: ['linux/amd64'] }, where(reporter))).toBe(false);
    expect(lines).toEqual([
      'block: [demo] load failed: demo: option "platform" must be one platform, e.g. --platform=linux/arm64',
    ]);
  });

  it('push refuses a password on the command line before anything else', async () => {
    const { reporter, lines } = recorder();
    expect(
      await pushTask({ registry: '127.0.0.1:5000', password: 'hunter2' }, where(reporter)),
    ).toBe(false);
    expect(lines).toEqual([
      expect.stringMatching(/^block: \[demo\] push failed: demo: option "password" is refused/),
    ]);
    expect(lines.join('\n')).not.toContain('hunter2');
  });
});
