import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { describe, expect, it } from 'vitest';
import { batchExecutor, type BatchTaskResult } from '../src/nx/batch-executor';

function graphOf(ids: readonly string[]): TaskGraph {
  const tasks = Object.fromEntries(
    ids.map((id) => {
      const [project, target] = id.split(':');
      return [id, { id, target: { project, target }, overrides: {}, outputs: [] }];
    }),
  );
  return {
    roots: [...ids],
    tasks,
    dependencies: Object.fromEntries(ids.map((id) => [id, []])),
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

describe('batchExecutor', () => {
  it('runs every task, at most `concurrency` at once, and reports each as it finishes', async () => {
    let running = 0;
    let most = 0;
    const delays: Record<string, number> = {
      'hello:compile--linux-amd64': 40,
      'hello:compile--linux-arm64': 5,
      'relay:compile--linux-amd64': 10,
    };
    const batch = batchExecutor<{ platform: string }>(async (task) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, delays[task.id]));
      task.reporter.step(
        `${task.options.platform} in ${task.projectRoot} of ${task.workspaceRoot}`,
      );
      running -= 1;
      return true;
    }, 2);
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
    const batch = batchExecutor<object>(async (task) => {
      if (task.project === 'hello') throw new Error('go build failed: undefined: x');
      task.reporter.warn('slow disk');
      return true;
    }, 1);
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
});
