import { availableParallelism } from 'node:os';
import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { describe, expect, it } from 'vitest';
import { batchExecutor, coresPerTask, type BatchTaskResult } from '../../src/nx/batch-executor';

/** A task graph; `edges: 'objects'` gives dependencies as Nx 24 does (`{ id }`), else as ids (Nx 22, 23). */
function graphOf(
  ids: readonly string[],
  dependencies: Readonly<Record<string, readonly string[]>> = {},
  edges: 'ids' | 'objects' = 'ids',
): TaskGraph {
  const tasks = Object.fromEntries(
    ids.map((id) => {
      const [project, target] = id.split(':');
      return [id, { id, target: { project, target }, overrides: {}, outputs: [] }];
    }),
  );
  return {
    roots: [...ids],
    tasks,
    dependencies: Object.fromEntries(
      ids.map((id) => [
        id,
        (dependencies[id] ?? []).map((dep) => (edges === 'objects' ? { id: dep } : dep)),
      ]),
    ),
  } as unknown as TaskGraph;
}

const context = {
  root: '/workspace',
  projectsConfigurations: {
    version: 2,
    projects: { hello: { root: 'apps/hello' }, relay: { root: 'apps/relay' } },
  },
} as unknown as ExecutorContext;

async function collect(results: AsyncIterable<BatchTaskResult>): Promise<BatchTaskResult[]> {
  const all: BatchTaskResult[] = [];
  for await (const result of results) all.push(result);
  return all;
}

describe('coresPerTask', () => {
  const cores = availableParallelism();
  it('shares the cores among the tasks that run side by side, at least one each', () => {
    expect(coresPerTask(1, 5, 2)).toBe(Math.max(1, Math.floor(cores / 2)));
    expect(coresPerTask(2, 0, 2)).toBe(Math.max(1, Math.floor(cores / 2)));
    expect(coresPerTask(1, 100, 1000)).toBe(Math.max(1, Math.floor(cores / 101)));
  });
  it('gives a task that runs alone every core', () => {
    expect(coresPerTask(1, 0, 2)).toBe(cores);
  });
});

describe('batchExecutor', () => {
  it('tells each task the cores it may use: shared while others run or wait, all for the last', async () => {
    const seen: Record<string, number | undefined> = {};
    const ids = [
      'hello:compile--linux-amd64',
      'hello:compile--linux-arm64',
      'hello:compile--linux-s390x',
    ];
    const batch = batchExecutor<object>(
      async (task) => {
        seen[task.id] = task.cores;
        await new Promise((resolve) => setTimeout(resolve, task.id.endsWith('amd64') ? 5 : 30));
        return true;
      },
      { concurrency: 2 },
    );
    await collect(batch(graphOf(ids), Object.fromEntries(ids.map((id) => [id, {}])), {}, context));
    const half = Math.max(1, Math.floor(availableParallelism() / 2));
    expect(seen).toStrictEqual({
      'hello:compile--linux-amd64': half,
      'hello:compile--linux-arm64': half,
      // Started when amd64 finished: arm64 still runs beside it, nothing waits.
      'hello:compile--linux-s390x': half,
    });
  });

  it('runs every task, at most `concurrency` at once, and reports each as it finishes', async () => {
    let running = 0;
    let most = 0;
    const delays: Record<string, number> = {
      'hello:compile--linux-amd64': 40,
      'hello:compile--linux-arm64': 5,
      'relay:compile--linux-amd64': 10,
    };
    const batch = batchExecutor<{ platform: string }>(
      async (task) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, delays[task.id]));
        task.reporter.step(
          `${task.options.platform} in ${task.projectRoot} of ${task.workspaceRoot}`,
        );
        running -= 1;
        return true;
      },
      { concurrency: 2 },
    );
    const ids = Object.keys(delays);
    const inputs = Object.fromEntries(ids.map((id) => [id, { platform: id.split('--')[1]! }]));
    const results = await collect(batch(graphOf(ids), inputs, {}, context));

    expect(most).toBe(2);
    // The short tasks finish (and are reported) before the long one.
    expect(results.map((r) => r.task)).toEqual([
      'hello:compile--linux-arm64',
      'relay:compile--linux-amd64',
      'hello:compile--linux-amd64',
    ]);
    const byTask = Object.fromEntries(results.map((r) => [r.task, r.result]));
    expect(byTask['relay:compile--linux-amd64']).toMatchObject({
      success: true,
      terminalOutput: '[relay] linux-amd64 in apps/relay of /workspace\n',
    });
    for (const { result } of results)
      expect(result.endTime).toBeGreaterThanOrEqual(result.startTime);
  });

  it('keeps a failure to its own task: a thrown error becomes that task’s output, the others still run', async () => {
    const batch = batchExecutor<object>(
      async (task) => {
        if (task.project === 'hello') throw new Error('go build failed: undefined: x');
        task.reporter.warn('slow disk');
        return true;
      },
      { concurrency: 1 },
    );
    const ids = ['hello:image', 'relay:image'];
    const results = await collect(
      batch(graphOf(ids), { 'hello:image': {}, 'relay:image': {} }, {}, context),
    );
    const byTask = Object.fromEntries(results.map((r) => [r.task, r.result]));
    expect(byTask['hello:image']).toMatchObject({
      success: false,
      terminalOutput: '[hello] go build failed: undefined: x\n',
    });
    expect(byTask['relay:image']).toMatchObject({
      success: true,
      terminalOutput: '[relay] WARNING: slow disk\n',
    });
  });

  it('finishes at once for an empty batch', async () => {
    const batch = batchExecutor<object>(async () => true);
    expect(await collect(batch(graphOf([]), {}, {}, context))).toEqual([]);
  });

  it('runs a task once its dependencies in the batch succeeded, ahead of other ready tasks', async () => {
    const started: string[] = [];
    const ended: string[] = [];
    const delays: Record<string, number> = {
      'hello:compile--linux-amd64': 10,
      'hello:compile--linux-arm64': 30,
      // Ends after hello's last compile: hello:image takes the free slot before relay's next compile.
      'relay:compile--linux-amd64': 60,
      'relay:compile--linux-arm64': 20,
      'hello:image': 5,
      'relay:image': 5,
    };
    const batch = batchExecutor<object>(
      async (task) => {
        started.push(task.id);
        await new Promise((resolve) => setTimeout(resolve, delays[task.id]));
        ended.push(task.id);
        return true;
      },
      { concurrency: 2 },
    );
    const ids = Object.keys(delays);
    const graph = graphOf(
      ids,
      {
        'hello:image': ['hello:compile--linux-amd64', 'hello:compile--linux-arm64'],
        // A dependency outside the batch (restored from the cache before it) is not waited for.
        'relay:image': ['relay:compile--linux-amd64', 'relay:compile--linux-arm64', 'relay:lint'],
      },
      'objects',
    );
    const results = await collect(
      batch(graph, Object.fromEntries(ids.map((id) => [id, {}])), {}, context),
    );
    expect(results.map((r) => r.task).sort()).toEqual([...ids].sort());
    for (const [image, compiles] of [
      ['hello:image', ['hello:compile--linux-amd64', 'hello:compile--linux-arm64']],
      ['relay:image', ['relay:compile--linux-amd64', 'relay:compile--linux-arm64']],
    ] as const)
      for (const compile of compiles)
        expect(ended.indexOf(compile), `${compile} before ${image}`).toBeLessThan(
          started.indexOf(image),
        );
    // hello's image starts as soon as its compiles are done, before relay's last compile.
    expect(started.indexOf('hello:image')).toBeLessThan(
      started.indexOf('relay:compile--linux-arm64'),
    );
  });

  it('fails a task whose dependency failed, without running it, and runs the rest', async () => {
    const ran: string[] = [];
    const batch = batchExecutor<object>(
      async (task) => {
        ran.push(task.id);
        return task.id !== 'hello:compile--linux-arm64';
      },
      { concurrency: 2 },
    );
    const ids = [
      'hello:compile--linux-amd64',
      'hello:compile--linux-arm64',
      'hello:image',
      'relay:compile--linux-amd64',
      'relay:image',
    ];
    const graph = graphOf(ids, {
      'hello:image': ['hello:compile--linux-amd64', 'hello:compile--linux-arm64'],
      'relay:image': ['relay:compile--linux-amd64'],
    });
    const results = await collect(
      batch(graph, Object.fromEntries(ids.map((id) => [id, {}])), {}, context),
    );
    const byTask = Object.fromEntries(results.map((r) => [r.task, r.result]));
    expect(results).toHaveLength(ids.length);
    expect(ran).not.toContain('hello:image');
    expect(byTask['hello:image']).toMatchObject({
      success: false,
      terminalOutput: '[hello] not run: hello:compile--linux-arm64 failed\n',
    });
    expect(byTask['relay:image']?.success).toBe(true);
    expect(ran).toContain('relay:image');
  });

  describe('a task that starts early', () => {
    const compiles = ['hello:compile--linux-amd64', 'hello:compile--linux-arm64'];
    const ids = [...compiles, 'hello:image'];
    const graph = graphOf(ids, { 'hello:image': compiles }, 'objects');
    const inputs = {
      'hello:compile--linux-amd64': { step: 'compile', platform: 'linux/amd64' },
      'hello:compile--linux-arm64': { step: 'compile', platform: 'linux/arm64' },
      'hello:image': { step: 'image' },
    };
    const startsEarly = (options: { step: string }) => options.step === 'image';

    it('runs beside its dependencies, outside the limit, told as each one finishes; reported after them', async () => {
      const events: string[] = [];
      const batch = batchExecutor<{ step: string; platform?: string }>(
        async (task) => {
          events.push(`start ${task.id}`);
          if (task.options.step === 'image') {
            expect(task.running.map((d) => [d.id, d.project, d.options.platform])).toEqual([
              ['hello:compile--linux-amd64', 'hello', 'linux/amd64'],
              ['hello:compile--linux-arm64', 'hello', 'linux/arm64'],
            ]);
            for (const dependency of task.running) {
              await dependency.succeeded;
              events.push(`image saw ${dependency.options.platform}`);
            }
            task.reporter.step('assembled');
            return true;
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
          events.push(`end ${task.id}`);
          return true;
        },
        { concurrency: 1, startsEarly },
      );
      const results = await collect(batch(graph, inputs, {}, context));
      // The first compile spawns first; the image starts right after it and takes no slot:
      // the compiles still run one at a time.
      expect(events.filter((e) => !e.startsWith('image saw'))).toEqual([
        'start hello:compile--linux-amd64',
        'start hello:image',
        'end hello:compile--linux-amd64',
        'start hello:compile--linux-arm64',
        'end hello:compile--linux-arm64',
      ]);
      // Told of amd64 while arm64 still compiles.
      expect(events.indexOf('image saw linux/amd64')).toBeGreaterThan(
        events.indexOf('end hello:compile--linux-amd64'),
      );
      expect(events.indexOf('image saw linux/amd64')).toBeLessThan(
        events.indexOf('end hello:compile--linux-arm64'),
      );
      expect(events.at(-1)).toBe('image saw linux/arm64');
      expect(results.map((r) => r.task)).toEqual(ids);
      expect(results[2]!.result).toMatchObject({
        success: true,
        terminalOutput: '[hello] assembled\n',
      });
    });

    it('is reported as not run, after its dependencies, when one failed (whatever it did meanwhile)', async () => {
      let imageSettled = false;
      const batch = batchExecutor<{ step: string }>(
        async (task) => {
          if (task.options.step === 'image') {
            try {
              task.reporter.step('started');
              await Promise.all(task.running.map((d) => d.succeeded));
              return true;
            } finally {
              imageSettled = true;
            }
          }
          await new Promise((resolve) => setTimeout(resolve, 10));
          return task.id !== 'hello:compile--linux-amd64';
        },
        { concurrency: 1, startsEarly },
      );
      const results = await collect(batch(graph, inputs, {}, context));
      expect(results.map((r) => r.task)).toEqual(ids);
      expect(results[2]!.result).toMatchObject({
        success: false,
        terminalOutput: '[hello] not run: hello:compile--linux-amd64 failed\n',
      });
      expect(imageSettled).toBe(true);
    });

    it('waits for its dependencies before it is reported, even when it ends first', async () => {
      const batch = batchExecutor<{ step: string }>(
        async (task) => {
          if (task.options.step === 'image') {
            task.reporter.step('base unreachable');
            return false;
          }
          await new Promise((resolve) => setTimeout(resolve, 10));
          return true;
        },
        { concurrency: 2, startsEarly },
      );
      const results = await collect(batch(graph, inputs, {}, context));
      expect(results.map((r) => r.task)).toEqual(ids);
      expect(results[2]!.result).toMatchObject({
        success: false,
        terminalOutput: '[hello] base unreachable\n',
      });
    });

    it('starts as usual when nothing it depends on is in the batch', async () => {
      const seen: number[] = [];
      const batch = batchExecutor<{ step: string }>(
        async (task) => {
          seen.push(task.running.length);
          return true;
        },
        { startsEarly },
      );
      const results = await collect(
        batch(graphOf(['hello:image']), { 'hello:image': { step: 'image' } }, {}, context),
      );
      expect(results).toHaveLength(1);
      expect(seen).toEqual([0]);
    });
  });
});
