import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, type WorkspaceCopy } from '../../../scripts/testing/workspace-copy';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import imageExecutor from '../../src/nx/executors/image/executor';
import { taskOutcomes } from '../e2e/nx-output';
import { distLeftovers, describeLayout, layoutState } from './support/dist-state';
import { figureRecorder, type CaseCounters } from './support/figures';
import { runNx, spawnNx } from './support/nx-process';

// Concurrency: `nx run-many -t image --parallel=4` over eleven apps, two nx processes building
// the same project at once, and two image executor calls on the same dist/ in one process.
// Every layout stays valid and equals what a serial build writes (index digests equal).
const APPS = Array.from({ length: 10 }, (_, i) => `relay-${String(i + 1).padStart(2, '0')}`);
const PROJECTS = ['relay', ...APPS];
const gate = toolGate('reliability: concurrency', ['go', 'git'], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);

describe.skipIf(!gate.ok && !gate.ci)(
  'concurrency: parallel and simultaneous builds write what a serial build writes',
  () => {
    const figures = figureRecorder('concurrency', 'Concurrency');
    let ws: WorkspaceCopy;
    const serial = new Map<string, string>(); // project → index digest of a serial build

    beforeAll(async () => {
      if (!gate.ok) throw new Error(gate.message);
      ws = await copyWorkspace();
      // Ten more apps: copies of relay with their own names, one or two platforms each.
      for (const [i, app] of APPS.entries()) {
        const dir = join(ws.root, 'apps', app);
        cpSync(join(ws.root, 'apps/relay'), dir, { recursive: true });
        const project = JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8'));
        project.name = app;
        project.sourceRoot = `apps/${app}`;
        project.targets = {
          image: {
            options: {
              ...project.targets.image.options,
              platforms: i % 2 === 0 ? ['linux/amd64'] : ['linux/amd64', 'linux/arm64'],
            },
          },
        };
        writeFileSync(join(dir, 'project.json'), JSON.stringify(project, null, 2));
      }
      await ws.git(['add', '-A']);
      await ws.git(['commit', '-q', '-m', 'ten more apps']);
    });
    afterAll(() => {
      figures.write();
      ws?.remove();
    });

    const projectList = `--projects=${PROJECTS.join(',')}`;

    async function digests(counters: CaseCounters): Promise<Map<string, string>> {
      const found = new Map<string, string>();
      for (const project of PROJECTS) {
        const state = await layoutState(join(ws.root, 'dist/images', project));
        if (state.kind !== 'valid')
          counters.lost(1, `dist/images/${project}: ${describeLayout(state)}`);
        expect(state.kind, `dist/images/${project}: ${describeLayout(state)}`).toBe('valid');
        if (state.kind === 'valid') found.set(project, state.digest);
      }
      return found;
    }

    it('run-many -t image --parallel=4 over 11 apps: every layout valid, equal to a serial build', () =>
      figures.track('run-many --parallel=4 over 11 apps vs serial', async (counters) => {
        const parallel = await runNx(ws.root, [
          'run-many',
          '-t',
          'image',
          projectList,
          '--parallel=4',
          '--outputStyle=static',
        ]);
        counters.run();
        expect(parallel.code, parallel.output).toBe(0);
        expect(
          taskOutcomes(parallel.output).ran.filter((task) => task.endsWith(':image')),
        ).toHaveLength(PROJECTS.length);
        const fromParallel = await digests(counters);
        expect(distLeftovers(ws.root)).toEqual([]);

        // The same images again, one task at a time, from the same binaries.
        const oneByOne = await runNx(ws.root, [
          'run-many',
          '-t',
          'image',
          projectList,
          '--parallel=1',
          '--excludeTaskDependencies',
          '--skip-nx-cache',
          '--outputStyle=static',
        ]);
        counters.run();
        expect(oneByOne.code, oneByOne.output).toBe(0);
        const fromSerial = await digests(counters);
        for (const project of PROJECTS) serial.set(project, fromSerial.get(project)!);
        const differing = PROJECTS.filter(
          (project) => fromParallel.get(project) !== fromSerial.get(project),
        );
        if (differing.length > 0)
          counters.lost(differing.length, `differ from the serial build: ${differing.join(', ')}`);
        expect(differing).toEqual([]);
        counters.detail(
          `${PROJECTS.length} projects, ${readdirSync(join(ws.root, 'dist/bin')).length} binary directories, identical index digests`,
        );
      }));

    it('two nx processes build the same project at once (same binaries, same context, same layout)', () =>
      figures.track('two nx run relay:image --skip-nx-cache at once', async (counters) => {
        const runs = [0, 1].map(() =>
          spawnNx(ws.root, ['run', 'relay:image', '--skip-nx-cache', '--outputStyle=static']),
        );
        const [first, second] = await Promise.all(runs.map((run) => run.done));
        counters.run(2);
        expect(first!.code, first!.output).toBe(0);
        expect(second!.code, second!.output).toBe(0);
        expect(describeLayout(await layoutState(join(ws.root, 'dist/images/relay')))).toBe(
          `valid ${serial.get('relay')}`,
        );
        expect(distLeftovers(ws.root)).toEqual([]);
        for (const arch of ['amd64', 'arm64'])
          expect(
            readFileSync(join(ws.root, 'dist/bin/relay/linux', arch, 'relay')).subarray(0, 4),
          ).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
      }));

    it('two image executor calls on the same dist/ in one process', () =>
      figures.track('two image executor calls at once, one process', async (counters) => {
        const nxJson = JSON.parse(readFileSync(join(ws.root, 'nx.json'), 'utf8'));
        const pluginOptions = nxJson.plugins.find(
          (p: { plugin: string }) => p.plugin === '@crossdock/nx',
        ).options;
        const projectOptions = JSON.parse(
          readFileSync(join(ws.root, 'apps/relay-02/project.json'), 'utf8'),
        ).targets.image.options;
        const context = {
          root: ws.root,
          cwd: ws.root,
          isVerbose: false,
          projectName: 'relay-02',
          projectsConfigurations: {
            version: 2,
            projects: { 'relay-02': { root: 'apps/relay-02' } },
          },
        } as unknown as ExecutorContext;
        const results = await Promise.all(
          [0, 1, 2].map(() => imageExecutor({ ...pluginOptions, ...projectOptions }, context)),
        );
        counters.run(results.length);
        expect(results).toEqual([{ success: true }, { success: true }, { success: true }]);
        const state = await layoutState(join(ws.root, 'dist/images/relay-02'));
        if (state.kind !== 'valid') counters.lost(1, describeLayout(state));
        expect(state.kind).toBe('valid');
        expect(distLeftovers(ws.root)).toEqual([]);
        // Without the project graph the revision comes from the project's own root: compare with a serial call.
        rmSync(join(ws.root, 'dist/images/relay-02'), { recursive: true });
        expect(await imageExecutor({ ...pluginOptions, ...projectOptions }, context)).toEqual({
          success: true,
        });
        counters.run();
        expect(describeLayout(await layoutState(join(ws.root, 'dist/images/relay-02')))).toBe(
          describeLayout(state),
        );
      }));
  },
);
